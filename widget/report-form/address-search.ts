import type { ReactiveController, ReactiveControllerHost } from 'lit';
import {
  toQuery,
  type AddressSuggestion,
  type GeocodeOptions,
  type Geocoder,
} from '../api/geocoder.ts';

export type SearchStatus = 'idle' | 'searching' | 'done' | 'failed';

/**
 * Address suggestions as the resident types: one lookup after a pause in typing, older answers
 * dropped, nothing at all without a geocoder. The typed text is the address whatever happens here.
 */
export class AddressSearchController implements ReactiveController {
  suggestions: AddressSuggestion[] = [];
  status: SearchStatus = 'idle';

  private timer: ReturnType<typeof setTimeout> | undefined;
  private pending: AbortController | undefined;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly geocoder: () => Geocoder | null,
    /** The pause in typing that starts a lookup. */
    private readonly delayMs = 250,
  ) {
    host.addController(this);
  }

  hostDisconnected() {
    this.cancel();
  }

  /** Whether suggestions are offered at all. */
  get enabled(): boolean {
    return this.geocoder() !== null;
  }

  /** The resident typed `text`: look it up once typing pauses (or clear the list when too short). */
  input(text: string, near: GeocodeOptions['near']) {
    const geocoder = this.geocoder();
    this.cancel();
    if (!geocoder || !toQuery(text)) return this.show([], 'idle');
    this.timer = setTimeout(() => void this.lookUp(geocoder, text, near), this.delayMs);
  }

  /** Empties the list (a suggestion was chosen, or the resident dismissed it). */
  clear() {
    this.cancel();
    this.show([], 'idle');
  }

  private async lookUp(geocoder: Geocoder, text: string, near: GeocodeOptions['near']) {
    const pending = (this.pending = new AbortController());
    this.status = 'searching';
    try {
      const found = await geocoder.search(text, { near, signal: pending.signal });
      if (!pending.signal.aborted) this.show(found, 'done');
    } catch {
      if (!pending.signal.aborted) this.show([], 'failed');
    }
  }

  private cancel() {
    clearTimeout(this.timer);
    this.pending?.abort();
    this.pending = undefined;
  }

  private show(suggestions: AddressSuggestion[], status: SearchStatus) {
    this.suggestions = suggestions;
    this.status = status;
    this.host.requestUpdate();
  }
}
