import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { AdminApi } from './api.ts';

/** A place the server's geocoder found: an address offered, or what is near a pin. */
export interface Place {
  label: string;
  lat: number;
  long: number;
  postcode: string | null;
  address_id: string | null;
}

/** What the server said of its geocoder: none configured, it answered, or it did not. */
export type GeocoderState = 'none' | 'ok' | 'unavailable';

interface Found {
  geocoder: GeocoderState;
  places: Place[];
}

/**
 * Addresses looked up through the back office's API (the server's geocoder, `GET …/places`): suggestions
 * once typing pauses, and the place near a pin. Only the latest question is answered: an older answer
 * arriving late is dropped, so the list and the address never go back to what was typed before.
 */
export class PlaceSearch implements ReactiveController {
  /** The addresses offered for the text typed last (none until it has three characters). */
  suggestions: Place[] = [];
  /** What the last lookup found out about the geocoder; null before any. */
  state: GeocoderState | null = null;
  /** Whether `suggestions` answer the text typed (rather than being empty while it is too short, or dismissed). */
  answered = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private asked = 0;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly call: () => { api: AdminApi; path: (rest: string) => string },
    /** The pause in typing that starts a lookup. */
    private readonly delayMs = 300,
  ) {
    host.addController(this);
  }

  hostDisconnected() {
    clearTimeout(this.timer);
  }

  /** `text` was typed: suggest addresses for it once typing pauses. */
  typed(text: string) {
    clearTimeout(this.timer);
    const asked = ++this.asked;
    if ([...text.trim()].length < 3) return this.show(asked, [], false);
    this.timer = setTimeout(() => void this.ask(`places?q=${encodeURIComponent(text.trim())}`).then((found) => this.show(asked, found.places, true)), this.delayMs);
  }

  /** The place near `lat`, `long` as a filing would name it, or null (nothing near, or no geocoder). */
  async near(lat: number, long: number): Promise<Place | null> {
    this.dismiss();
    const found = await this.ask(`places?lat=${lat}&long=${long}`);
    return found.places[0] ?? null;
  }

  /** Empties the list (a suggestion was chosen, or Escape pressed). */
  dismiss() {
    clearTimeout(this.timer);
    this.show(++this.asked, [], false);
  }

  /** Asks the server; its state is remembered, a failed call counted as a geocoder that does not answer. */
  private async ask(query: string): Promise<Found> {
    const { api, path } = this.call();
    let found: Found;
    try {
      found = await api.get<Found>(path(query));
    } catch {
      found = { geocoder: 'unavailable', places: [] };
    }
    this.state = found.geocoder;
    return found;
  }

  private show(asked: number, places: Place[], answered: boolean) {
    if (asked !== this.asked) return;
    this.suggestions = places;
    this.answered = answered;
    this.host.requestUpdate();
  }
}
