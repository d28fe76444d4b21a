import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type {
  LatLng,
  LeafletMouseEvent,
  Map as LeafletMap,
  Marker,
  TileLayer,
} from 'leaflet/dist/leaflet-src.esm.js';
import { currentPosition, type LatLong } from './geolocate.ts';
import { adoptLeafletStyles, loadLeaflet, type Leaflet } from './load-leaflet.ts';
import { pinIcon } from './pin-icon.ts';
import { pinByKey, roundCoordinate as round } from './keyboard-pin.ts';

/** What the map is opened with, read from the host when the map is created. */
export interface MapSettings {
  /** Where the map opens when there is no pin yet; null: the whole world. */
  center: LatLong | null;
  /** The zoom it opens at; default 15 on `center`, 2 on the world, at least 16 on a pin. */
  zoom: number | undefined;
  /** A Leaflet tile URL template. Tiles are decoration: nothing depends on them loading. */
  tileUrl: string;
  /** Accessible names, and what shows when Leaflet cannot load, in the form's language. */
  labels: { map: string; role: string; zoomIn: string; zoomOut: string; unavailable: string };
}

export interface MapControllerOptions {
  settings(): MapSettings;
  /** The pin as the draft has it (null: no pin yet). The draft is the truth; the map follows it. */
  pin(): LatLong | null;
  /** The resident placed the pin: click, drag, keyboard or "use my location". */
  onPlace(at: LatLong): void;
}


/**
 * Owns the location step's Leaflet map (the lifecycle of Home Assistant's `ha-map`): the map is created
 * once in `container`, an element the host renders as is and Lit never re-renders, follows its size
 * through a `ResizeObserver`, and is removed when the host leaves the page. Leaflet itself loads when
 * the container is first shown (`loadLeaflet`); if it cannot, the container says so and the address
 * field still works.
 *
 * The container is the keyboard path: it takes focus, Enter or Space puts the pin at the map's centre,
 * the arrow keys move the pin (panning to keep it in view) or pan the map when there is no pin yet, and
 * + and - zoom. Leaflet's own keyboard handler is off, as it would pan on the same keys.
 *
 * @example
 * private map = new MapController(this, { settings: () => …, pin: () => …, onPlace: (at) => … });
 * render() { return html`${this.map.container}`; }
 */
export class MapController implements ReactiveController {
  /** The map's element (class `map__canvas`, part `map`). */
  readonly container = document.createElement('div');
  /** "Use my location" is waiting for a position. */
  locating = false;
  /** The last "Use my location" found no position. */
  locateFailed = false;

  private leaflet: Leaflet | undefined;
  /** Leaflet is on its way, or could not load (tried again when the host is back in the page). */
  private loading: 'idle' | 'loading' | 'failed' = 'idle';
  private map: LeafletMap | undefined;
  private tiles: TileLayer | undefined;
  private tileUrl = '';
  private marker: Marker | undefined;
  private resize: ResizeObserver | undefined;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly options: MapControllerOptions,
  ) {
    host.addController(this);
    this.container.className = 'map__canvas';
    this.container.setAttribute('part', 'map');
    this.container.setAttribute('role', 'application');
    this.container.tabIndex = 0;
    this.container.addEventListener('keydown', this.onKeydown);
  }

  hostConnected() {
    // Back in the page after a move: render again so `hostUpdated` recreates the map.
    if (this.loading === 'failed') this.loading = 'idle';
    this.host.requestUpdate();
  }

  hostUpdated() {
    if (!this.container.isConnected) return;
    const settings = this.options.settings();
    this.container.setAttribute('aria-label', settings.labels.map);
    this.container.setAttribute('aria-roledescription', settings.labels.role);
    if (!this.leaflet) return void this.load(settings.labels.unavailable);
    if (!this.map) this.create(this.leaflet, settings);
    else if (settings.tileUrl !== this.tileUrl) {
      this.tileUrl = settings.tileUrl;
      this.tiles?.setUrl(settings.tileUrl);
    }
    this.followDraft();
  }

  hostDisconnected() {
    this.resize?.disconnect();
    this.map?.remove();
    this.map = this.tiles = this.marker = this.resize = undefined;
  }

  /** Asks the device where it is and puts the pin there; on failure sets `locateFailed`. */
  async locate(): Promise<void> {
    if (this.locating) return;
    this.locating = true;
    this.locateFailed = false;
    this.host.requestUpdate();
    try {
      const at = await currentPosition();
      this.options.onPlace({ lat: round(at.lat), long: round(at.long) });
    } catch {
      this.locateFailed = true;
    } finally {
      this.locating = false;
      this.host.requestUpdate();
    }
  }

  /** Loads Leaflet, then renders again to create the map; on failure, says so in the container. */
  private async load(unavailable: string) {
    if (this.loading !== 'idle') return;
    this.loading = 'loading';
    this.container.setAttribute('aria-busy', 'true');
    try {
      this.leaflet = await loadLeaflet();
      this.loading = 'idle';
      this.container.replaceChildren();
      this.host.requestUpdate();
    } catch {
      this.loading = 'failed';
      this.container.textContent = unavailable;
    } finally {
      this.container.removeAttribute('aria-busy');
    }
  }

  private create(L: Leaflet, settings: MapSettings) {
    adoptLeafletStyles(this.container, L);
    const pin = this.options.pin();
    const at = pin ?? settings.center;
    const zoom = Math.max(settings.zoom ?? (at ? 15 : 2), pin ? 16 : 0);
    const map = L.map(this.container, {
      center: at ? [at.lat, at.long] : [20, 0],
      zoom,
      zoomControl: false,
      // Leaflet writes its attribution with innerHTML: the host shows it as text instead.
      attributionControl: false,
      keyboard: false,
    });
    L.control
      .zoom({ zoomInTitle: settings.labels.zoomIn, zoomOutTitle: settings.labels.zoomOut })
      .addTo(map);
    this.tileUrl = settings.tileUrl;
    this.tiles = L.tileLayer(settings.tileUrl, { maxZoom: 19 }).addTo(map);
    map.on('click', (e: LeafletMouseEvent) => this.place(e.latlng));
    this.resize = new ResizeObserver(([entry]) => {
      // A step change detaches the container (size 0): keep the view for when it comes back.
      if (entry && entry.contentRect.width > 0 && entry.contentRect.height > 0)
        map.invalidateSize();
    });
    this.resize.observe(this.container);
    this.map = map;
  }

  /** Puts the marker where the draft says, and brings it into view when it moved from elsewhere. */
  private followDraft() {
    const map = this.map!;
    const pin = this.options.pin();
    if (!pin) {
      this.marker?.remove();
      this.marker = undefined;
      return;
    }
    const shown = this.marker?.getLatLng();
    if (shown && shown.lat === pin.lat && shown.lng === pin.long) return;
    this.setMarker(pin);
    map.setView([pin.lat, pin.long], Math.max(map.getZoom(), 16), { animate: false });
  }

  private setMarker(at: LatLong) {
    if (this.marker) {
      this.marker.setLatLng([at.lat, at.long]);
      return;
    }
    // Not keyboard-focusable itself: the map container is the one keyboard path.
    const marker = this.leaflet!.marker([at.lat, at.long], {
      icon: pinIcon(this.leaflet!.divIcon),
      draggable: true,
      keyboard: false,
    });
    marker.on('dragend', () => this.place(marker.getLatLng()));
    this.marker = marker.addTo(this.map!);
  }

  /** The resident put the pin at `latlng`. */
  private place(latlng: LatLng) {
    const wrapped = latlng.wrap();
    const at = { lat: round(wrapped.lat), long: round(wrapped.lng) };
    this.setMarker(at);
    this.options.onPlace(at);
  }

  private onKeydown = (e: KeyboardEvent) => {
    // Keys on Leaflet's zoom buttons are theirs.
    if (!this.map || e.target !== this.container) return;
    if (pinByKey(e, this.map, this.marker?.getLatLng() ?? null, (at) => this.place(at))) e.preventDefault();
  };
}
