import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { AddressSuggestion, Geocoder } from '../api/geocoder.ts';
import type { LatLong } from '../map/index.ts';

/**
 * Where the pin's address stands: not asked (no pin, or no geocoder able to answer), being looked up,
 * found, chosen by the resident among the suggestions (the exact place), none near enough, or the
 * lookup failed.
 */
export type NearestStatus = 'idle' | 'looking' | 'found' | 'chosen' | 'none' | 'failed';

export interface NearestAddressOptions {
  geocoder(): Geocoder | null;
  /** The address field's text as the draft has it. */
  address(): string;
  /** Puts `text` in the address field (the resident had not written there themselves). */
  fill(text: string): void;
  /** How the found address reads in the field, in the form's language ("Près du 12 Rue Nationale"). */
  words(found: AddressSuggestion): string;
  /** A lookup ended (found, none or failed): the form tells the resident where the pin is. */
  settled(): void;
}

const same = (a: LatLong | null, b: LatLong | null) => a?.lat === b?.lat && a?.long === b?.long;

/**
 * Keeps the pin and the address in step. Each time the pin moves, once it rests a moment, the address
 * nearest to it is looked up (older lookups dropped), so the resident reads "near 12 Rue Nationale"
 * rather than coordinates. The address field follows the pin while it holds what the widget put there
 * (nothing, an address found for the pin, or a suggestion chosen): text the resident wrote is theirs
 * and never replaced.
 */
export class NearestAddressController implements ReactiveController {
  status: NearestStatus = 'idle';
  /** The address near (or at) `at`, when found or chosen. */
  found: AddressSuggestion | null = null;
  /** The pin this status is about. */
  at: LatLong | null = null;

  /** The last text the widget wrote in the field: while the field still holds it, the widget may replace it. */
  private filled = '';
  private timer: ReturnType<typeof setTimeout> | undefined;
  private pending: AbortController | undefined;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly options: NearestAddressOptions,
    /** How long the pin must rest before it is looked up (arrow keys move it in quick steps). */
    private readonly delayMs = 300,
  ) {
    host.addController(this);
  }

  hostDisconnected() {
    this.cancel();
  }

  /** Whether pins are told by an address (a geocoder that can look a point up is set). */
  get enabled(): boolean {
    return typeof this.options.geocoder()?.reverse === 'function';
  }

  /** The pin is now at `at` (null: no pin): look its address up, unless it is the one already known. */
  follow(at: LatLong | null) {
    if (same(at, this.at)) return;
    this.cancel();
    this.at = at;
    this.found = null;
    const geocoder = this.options.geocoder();
    if (!at || !geocoder?.reverse) {
      this.status = 'idle';
      return;
    }
    this.status = 'looking';
    this.timer = setTimeout(() => void this.lookUp(geocoder, at), this.delayMs);
  }

  /** The resident chose `suggestion` (the field now holds its label): the pin is at that very address. */
  chosen(suggestion: AddressSuggestion) {
    this.cancel();
    this.at = { lat: suggestion.lat, long: suggestion.long };
    this.found = suggestion;
    this.status = 'chosen';
    this.filled = suggestion.label;
  }

  private async lookUp(geocoder: Geocoder, at: LatLong) {
    const pending = (this.pending = new AbortController());
    let found: AddressSuggestion | null = null;
    let status: NearestStatus;
    try {
      found = await geocoder.reverse!(at.lat, at.long, { signal: pending.signal });
      status = found ? 'found' : 'none';
    } catch {
      status = 'failed';
    }
    if (pending.signal.aborted) return;
    this.found = found;
    this.status = status;
    // Text the widget wrote for an earlier pin is wrong for this one: replaced, or emptied when none is near.
    const current = this.options.address().trim();
    if (current === '' || current === this.filled) {
      this.filled = found ? this.options.words(found) : '';
      if (this.filled !== current) this.options.fill(this.filled);
    }
    this.options.settled();
    this.host.requestUpdate();
  }

  private cancel() {
    clearTimeout(this.timer);
    this.pending?.abort();
    this.pending = undefined;
  }
}
