import { html, nothing } from 'lit';
import { ref } from 'lit/directives/ref.js';
import type { StepContext } from '../context.ts';
import { PREPARE_STEPS, type Photo } from '../photo.ts';
import type { PhotoSet } from '../photo-set.ts';
import { KEPT_MB } from '../photo-store.ts';

/** Draws a photo's scaled bitmap into its preview canvas (no URL, so a strict CSP is no obstacle). */
const draw = (photo: Photo) => (el: Element | undefined) => {
  if (!(el instanceof HTMLCanvasElement)) return;
  const scale = Math.min(1, 160 / Math.max(photo.width, photo.height));
  el.width = Math.round(photo.width * scale);
  el.height = Math.round(photo.height * scale);
  el.getContext('2d')?.drawImage(photo.bitmap, 0, 0, el.width, el.height);
};

/** After a removal, focus goes to the next photo's button, else the last one's, else the chooser. */
function focusAfterRemoval(button: HTMLButtonElement, index: number) {
  const root = button.getRootNode() as ShadowRoot;
  requestAnimationFrame(() => {
    const buttons = [...root.querySelectorAll<HTMLButtonElement>('.photos__remove')];
    (buttons[index] ?? buttons.at(-1) ?? root.getElementById('photos'))?.focus();
  });
}

/**
 * Step 4: up to `max` photos, prepared in the browser (scaled down, metadata dropped); a photo's GPS
 * position is offered as the report's location when none was given. The file inputs are the controls
 * (labelled, reachable by keyboard and screen readers); around them, a zone photos can be dropped on
 * (wide screens), and on touch screens a second input that opens the camera (`capture`) next to the
 * one that opens the gallery, so taking a photo never takes the gallery away.
 */
export function photosStep(ctx: StepContext, set: PhotoSet) {
  const { t } = ctx;
  const full = set.room === 0;
  const add = async (files: File[]) => {
    const added = await set.add(files);
    const gps = added.find((p) => p.gps)?.gps;
    if (gps && ctx.draft.location.lat === null) ctx.update((d) => void (d.location = { ...d.location, lat: gps.lat, long: gps.long }));
  };
  const picked = (e: Event) => {
    const input = e.target as HTMLInputElement;
    const files = [...(input.files ?? [])];
    input.value = '';
    void add(files);
  };
  const over = (e: DragEvent) => {
    e.preventDefault();
    (e.currentTarget as HTMLElement).classList.toggle('dropzone--over', e.type === 'dragover');
  };
  const dropped = (e: DragEvent) => {
    over(e);
    void add([...(e.dataTransfer?.files ?? [])]); // past the room left, they are refused with a reason
  };
  // What the browser found wrong with the photos chosen, and what the server refused them for.
  const problems = [...set.problems, ...(ctx.errors.photos ? [ctx.errors.photos] : [])];
  const describedBy = problems.length > 0 ? 'photos-hint photos-error' : 'photos-hint';
  return html`
    <fieldset class="dropzone" @dragover=${over} @dragleave=${over} @drop=${dropped}>
      <legend>${t.photos.add}</legend>
      <p class="hint" id="photos-hint">${t.photos.hint(set.max)} ${t.photoPicker.kept(KEPT_MB)}</p>
      <div class="dropzone__actions">
        <span class="picker picker--camera">
          <input id="photos-camera" class="visually-hidden" type="file" accept="image/*" capture="environment" ?disabled=${full}
            aria-describedby=${describedBy} @change=${picked} />
          <label for="photos-camera" class="picker__button" part="button">${t.photoPicker.camera}</label>
        </span>
        <span class="picker">
          <input id="photos" class="visually-hidden" type="file" accept="image/*" multiple ?disabled=${full}
            aria-describedby=${describedBy} @change=${picked} />
          <label for="photos" class="picker__button" part="button">${t.photoPicker.choose}</label>
        </span>
        <span class="dropzone__text" aria-hidden="true">${t.photoPicker.drop}</span>
      </div>
    </fieldset>
    ${problems.length > 0 ? html`<p class="error" id="photos-error" role="alert">${problems.join(' ')}</p>` : nothing}
    ${set.notice ? html`<p class="notice" id="photos-notice" role="status">${set.notice}</p>` : nothing}
    <p class="live" id="photos-status" role="status">${set.status}</p>
    <ul class="photos">
      ${set.photos.map(
        (p, i) => html`
          <li>
            <canvas role="img" aria-label=${t.photos.photo(i + 1)} ${ref(draw(p))}></canvas>
            <button type="button" part="button" class="secondary photos__remove" @click=${(e: Event) => {
              set.remove(p);
              focusAfterRemoval(e.currentTarget as HTMLButtonElement, i);
            }}>${t.photos.remove(i + 1)}</button>
          </li>
        `,
      )}
      ${set.pending.map(
        (p) => html`
          <li class="photos__pending">
            <span id=${`preparing-${p.id}`}>${t.photoPicker.preparing(p.name)}</span>
            <progress max=${PREPARE_STEPS.length} value=${p.step} aria-labelledby=${`preparing-${p.id}`}></progress>
          </li>
        `,
      )}
    </ul>
    ${offer(ctx, set.photos)}
  `;
}

/** When a photo was taken somewhere else than the place given, offers its place (the resident decides). */
function offer(ctx: StepContext, photos: Photo[]) {
  const gps = photos.find((p) => p.gps)?.gps;
  const { lat, long } = ctx.draft.location;
  if (!gps || (lat === gps.lat && long === gps.long)) return nothing;
  return html`
    <p class="notice" id="photo-place">${ctx.t.location.photoOffer}</p>
    <button type="button" part="button" class="secondary" aria-describedby="photo-place"
      @click=${() => ctx.update((d) => void (d.location = { ...d.location, lat: gps.lat, long: gps.long }))}>${ctx.t.location.usePhotoPlace}</button>
  `;
}
