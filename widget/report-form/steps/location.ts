import { html, nothing } from 'lit';
import type { AddressSuggestion } from '../../api/geocoder.ts';
import { NEARBY_METRES } from '../../../server/geocode/nearby.ts';
import type { Messages } from '../../i18n/index.ts';
import type { LatLong } from '../../map/index.ts';
import type { SearchStatus } from '../address-search.ts';
import { describedBy, type StepContext } from '../context.ts';
import type { NearestAddressController } from '../nearest-address.ts';

/** What the location step needs of the map's controller. */
export interface MapPanel {
  /** The Leaflet map's element, rendered as is. */
  container: HTMLElement;
  locating: boolean;
  locateFailed: boolean;
  locate(): void;
}

/** Address suggestions as the step shows them; null when no geocoder is set. */
export interface AddressSearchView {
  suggestions: readonly AddressSuggestion[];
  status: SearchStatus;
  /** The resident typed in the address field. */
  input(text: string): void;
  choose(suggestion: AddressSuggestion): void;
  dismiss(): void;
}

/** The map with "use my location" and the tiles' credit (`attribution` is text, never markup). */
export function mapPanel(ctx: StepContext, map: MapPanel, attribution: { text: string; href?: string }) {
  const { t } = ctx;
  return html`
    <div class="map">
      <p class="map__actions">
        <button type="button" part="button" class="secondary" @click=${() => map.locate()}>
          ${map.locating ? t.location.locating : t.location.useMyLocation}
        </button>
      </p>
      ${map.locateFailed ? html`<p class="error" id="locate-error" role="alert">${t.location.geolocationFailed}</p>` : nothing}
      ${map.container}
      ${attribution.text
        ? html`<p class="map__attribution">${attribution.href ? html`<a href=${attribution.href}>${attribution.text}</a>` : attribution.text}</p>`
        : nothing}
    </div>
  `;
}

/** Moves focus along the suggestion buttons; before the first, back to the field. */
function onSuggestionKeys(e: KeyboardEvent, search: AddressSearchView) {
  const root = (e.currentTarget as Element).getRootNode() as ShadowRoot;
  const buttons = [...root.querySelectorAll<HTMLButtonElement>('.suggestion')];
  const field = root.getElementById('address');
  const at = buttons.indexOf(e.target as HTMLButtonElement);
  if (e.key === 'ArrowDown') (buttons[at + 1] ?? buttons[at])?.focus();
  else if (e.key === 'ArrowUp') (at > 0 ? buttons[at - 1] : field)?.focus();
  else if (e.key === 'Escape') {
    search.dismiss();
    field?.focus();
  } else return;
  e.preventDefault();
}

function onFieldKeys(e: KeyboardEvent, search: AddressSearchView) {
  if (e.key === 'ArrowDown' && search.suggestions.length > 0) {
    ((e.currentTarget as Element).getRootNode() as ShadowRoot).querySelector<HTMLButtonElement>('.suggestion')?.focus();
  } else if (e.key === 'Escape' && search.suggestions.length > 0) search.dismiss();
  else return;
  e.preventDefault();
}

function suggestionList(ctx: StepContext, search: AddressSearchView) {
  const { t } = ctx;
  const count = search.status === 'done' ? t.location.suggestionCount(search.suggestions.length) : search.status === 'failed' ? t.location.suggestionsFailed : '';
  return html`
    <p class="live" id="address-count" role="status">${count}</p>
    ${search.suggestions.length > 0
      ? html`<div class="suggestions" id="address-suggestions">
          <p class="suggestions__title" id="suggestions-title">${t.location.suggestions}</p>
          <ul class="suggestions__list" aria-labelledby="suggestions-title" @keydown=${(e: KeyboardEvent) => onSuggestionKeys(e, search)}>
            ${search.suggestions.map(
              (s) => html`<li><button type="button" class="suggestion" @click=${() => search.choose(s)}>${s.label}</button></li>`,
            )}
          </ul>
        </div>`
      : nothing}
  `;
}

/**
 * Where the pin is, in words: near the address found for it, at the suggestion chosen, or (no geocoder
 * able to look a point up) its coordinates, which at least change as the arrow keys move it.
 */
export function pinStatus(t: Messages, at: LatLong, nearest: Pick<NearestAddressController, 'status' | 'found' | 'at'>): string {
  const found = nearest.at?.lat === at.lat && nearest.at?.long === at.long ? nearest.found : null;
  switch (nearest.status) {
    case 'looking':
      return t.place.looking;
    case 'none':
      return t.place.noneNear(NEARBY_METRES);
    case 'failed':
      return t.place.failed;
    default:
      if (found && nearest.status === 'chosen') return t.place.pinnedAt(found.label);
      if (found) return t.place.pinnedNear(found.label, found.kind === 'housenumber');
      return t.location.pinned(at.lat.toFixed(5), at.long.toFixed(5));
  }
}

/**
 * Step 2: where. The address field comes first, map or no map: it always works (keyboard and
 * screen-reader users, and `no-map`), and on a phone its suggestions then open above the map, not under
 * the keyboard; one order at every width keeps the focus order and the reading order alike. The map,
 * when shown, sits in `mapSlot` and sets the coordinates; under it, where the pin is in words. With a
 * geocoder, addresses are suggested below the field as the resident types (ArrowDown reaches them,
 * Escape closes them); what was typed is sent as the address all the same.
 */
export function locationStep(ctx: StepContext, mapSlot: unknown, search: AddressSearchView | null = null, pinned: string | null = null) {
  const { t, draft } = ctx;
  return html`
    <div class="field">
      <label for="address">${t.location.address}</label>
      <p class="hint" id="address-hint">${t.location.addressHint}</p>
      <input id="address" type="text" autocomplete="street-address" .value=${draft.location.address}
        aria-describedby=${describedBy(ctx, 'address') ?? nothing} aria-invalid=${ctx.errors.address ? 'true' : nothing}
        aria-controls=${search && search.suggestions.length > 0 ? 'address-suggestions' : nothing}
        @keydown=${(e: KeyboardEvent) => search && onFieldKeys(e, search)}
        @input=${(e: Event) => {
          const text = (e.target as HTMLInputElement).value;
          ctx.update((d) => void (d.location.address = text));
          search?.input(text);
        }} />
      ${ctx.errors.address ? html`<p class="error" id="address-error">${ctx.errors.address}</p>` : nothing}
      ${search ? suggestionList(ctx, search) : nothing}
    </div>
    ${mapSlot ?? nothing}
    ${pinned ? html`<p class="notice" id="pin-status">${pinned}</p>` : nothing}
  `;
}

export function checkLocation(ctx: Pick<StepContext, 't' | 'draft'>): Record<string, string> {
  const { lat, address } = ctx.draft.location;
  return lat === null && address.trim() === '' ? { address: ctx.t.location.choose } : {};
}
