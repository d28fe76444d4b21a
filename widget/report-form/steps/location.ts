import { html, nothing } from 'lit';
import { describedBy, type StepContext } from '../context.ts';

/**
 * Step 2: where. The address field always works, map or no map (keyboard and screen-reader users, and
 * `no-map`); the map, when shown, sits in `mapSlot` and sets the coordinates.
 */
export function locationStep(ctx: StepContext, mapSlot: unknown) {
  const { t, draft } = ctx;
  const { lat, long } = draft.location;
  return html`
    ${mapSlot ?? nothing}
    ${lat !== null && long !== null ? html`<p class="notice" id="pin-status">${t.location.pinned(lat.toFixed(5), long.toFixed(5))}</p>` : nothing}
    <div class="field">
      <label for="address">${t.location.address}</label>
      <p class="hint" id="address-hint">${t.location.addressHint}</p>
      <input id="address" type="text" autocomplete="street-address" .value=${draft.location.address}
        aria-describedby=${describedBy(ctx, 'address') ?? nothing} aria-invalid=${ctx.errors.address ? 'true' : nothing}
        @input=${(e: Event) => ctx.update((d) => void (d.location.address = (e.target as HTMLInputElement).value))} />
      ${ctx.errors.address ? html`<p class="error" id="address-error">${ctx.errors.address}</p>` : nothing}
    </div>
  `;
}

export function checkLocation(ctx: Pick<StepContext, 't' | 'draft'>): Record<string, string> {
  const { lat, address } = ctx.draft.location;
  return lat === null && address.trim() === '' ? { address: ctx.t.location.choose } : {};
}
