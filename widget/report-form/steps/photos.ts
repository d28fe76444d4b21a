import { html, nothing } from 'lit';
import { ref } from 'lit/directives/ref.js';
import type { StepContext } from '../context.ts';
import { preparePhoto, type Photo } from '../photo.ts';

/** Draws a photo's scaled bitmap into its preview canvas (no URL, so a strict CSP is no obstacle). */
const draw = (photo: Photo) => (el: Element | undefined) => {
  if (!(el instanceof HTMLCanvasElement)) return;
  const scale = Math.min(1, 160 / Math.max(photo.width, photo.height));
  el.width = Math.round(photo.width * scale);
  el.height = Math.round(photo.height * scale);
  el.getContext('2d')?.drawImage(photo.bitmap, 0, 0, el.width, el.height);
};

/**
 * Step 4: up to `max` photos, prepared in the browser (scaled down, metadata dropped); a photo's GPS
 * position is offered as the report's location when none was given.
 */
export function photosStep(ctx: StepContext, photos: Photo[], max: number, change: (photos: Photo[]) => void) {
  const { t } = ctx;
  const add = async (e: Event) => {
    const input = e.target as HTMLInputElement;
    const files = [...(input.files ?? [])];
    input.value = '';
    const next = [...photos];
    const problems: string[] = [];
    for (const file of files) {
      if (next.length >= max) {
        problems.push(t.photos.tooMany(max));
        break;
      }
      try {
        next.push(await preparePhoto(file));
      } catch {
        problems.push(t.photos.notImage(file.name));
      }
    }
    change(next);
    const gps = next.find((p) => p.gps)?.gps;
    if (gps && ctx.draft.location.lat === null) ctx.update((d) => void (d.location = { ...d.location, lat: gps.lat, long: gps.long }));
    // Only a real problem is an error: an empty message would still count in the form's "fix N fields" summary.
    if (problems.length > 0) ctx.errors.photos = problems.join(' ');
    else delete ctx.errors.photos;
  };
  return html`
    <div class="field">
      <label for="photos">${t.photos.add}</label>
      <p class="hint" id="photos-hint">${t.photos.hint(max)}</p>
      <input id="photos" type="file" accept="image/*" multiple ?disabled=${photos.length >= max}
        aria-describedby=${ctx.errors.photos ? 'photos-hint photos-error' : 'photos-hint'} @change=${add} />
      ${ctx.errors.photos ? html`<p class="error" id="photos-error" role="alert">${ctx.errors.photos}</p>` : nothing}
    </div>
    <ul class="photos">
      ${photos.map(
        (p, i) => html`
          <li>
            <canvas role="img" aria-label=${t.photos.photo(i + 1)} ${ref(draw(p))}></canvas>
            <button type="button" part="button" class="secondary" @click=${() => change(photos.filter((x) => x !== p))}>${t.photos.remove(i + 1)}</button>
          </li>
        `,
      )}
    </ul>
    ${offer(ctx, photos)}
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
