import { LitElement, css, html, unsafeCSS, type PropertyValues } from 'lit';
import {
  control, divIcon, latLngBounds, map as createMap, marker as createMarker, tileLayer,
  type LatLng, type LeafletMouseEvent, type Map as LeafletMap, type Marker,
} from 'leaflet/dist/leaflet-src.esm.js';
import { leafletCss } from '../styles/leaflet.css.ts';
import { pinByKey, roundCoordinate as round } from '../map/keyboard-pin.ts';
import { pinIcon } from '../map/pin-icon.ts';
import type { Tiles } from './admin-map.ts';

/** A point on the map, WGS 84. */
export interface Pin {
  lat: number;
  long: number;
}

/** The box a map opens on (the town's requests), WGS 84. */
export interface Extent {
  south: number;
  west: number;
  north: number;
  east: number;
}

/** Staff placed the pin (click, tap, drag or keyboard): where. */
export class PinEvent extends Event {
  constructor(readonly pin: Pin) {
    super('georeport-admin-pin', { bubbles: true, composed: true });
  }
}

/**
 * A map on which staff put one pin: by click or tap, by dragging it, or by keyboard (the map takes the
 * focus: Enter or Space puts the pin at the centre, the arrows move it, or pan while there is none, + and -
 * zoom; Leaflet's own keys are off, as they pan on the same keys). It follows `pin` (the form holds the
 * truth) and says each placement with a {@link PinEvent}; it opens on `extent` (France without one).
 *
 * @event georeport-admin-pin - The pin was placed; `pin` says where.
 */
export class AdminPinMap extends LitElement {
  static override styles = [unsafeCSS(leafletCss), css`
    :host { display: block; }
    .canvas { height: 320px; border: 1px solid #767676; border-radius: 4px; }
    .canvas:focus-visible { outline: 3px solid var(--georeport-accent, #0b5cad); outline-offset: 2px; }
    .leaflet-control-zoom a { width: 40px; height: 40px; line-height: 40px; }
    .help { font-size: 0.9em; color: #555; margin: 0.3em 0 0; }
    .map__pin { color: #b3261e; }
    .map__pin svg { display: block; }
  `];
  static override properties = {
    pin: { attribute: false }, extent: { attribute: false }, tiles: { attribute: false }, label: { type: String }, help: { type: String },
    roleDescription: { type: String, attribute: 'role-description' }, zoomIn: { type: String, attribute: 'zoom-in' }, zoomOut: { type: String, attribute: 'zoom-out' },
  };
  declare pin: Pin | null;
  declare extent: Extent | null;
  declare tiles: Tiles;
  declare label: string;
  /** How to place the pin, by pointer and by keyboard: shown under the map, and its description. */
  declare help: string;
  declare roleDescription: string;
  declare zoomIn: string;
  declare zoomOut: string;
  private readonly canvas = Object.assign(document.createElement('div'), { className: 'canvas', tabIndex: 0 });
  private map: LeafletMap | undefined;
  private marker: Marker | undefined;
  private readonly resize = new ResizeObserver(() => this.map?.invalidateSize());

  constructor() {
    super();
    this.pin = null;
    this.extent = null;
    this.tiles = { url: '', attribution: '' };
    this.label = '';
    this.help = '';
    this.roleDescription = '';
    this.zoomIn = '';
    this.zoomOut = '';
    this.canvas.setAttribute('role', 'application');
    this.canvas.setAttribute('aria-describedby', 'help');
    this.canvas.addEventListener('keydown', this.onKeydown);
  }

  override render() {
    this.canvas.setAttribute('aria-label', this.label);
    this.canvas.setAttribute('aria-roledescription', this.roleDescription);
    return html`${this.canvas}<p class="help" id="help">${this.help}</p>`;
  }

  override updated(changed: PropertyValues<this>) {
    if (!this.map) this.create();
    else if (changed.has('extent') && !this.pin) this.open();
    if (changed.has('pin')) this.follow();
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    this.resize.disconnect();
    this.map?.remove();
    this.map = this.marker = undefined;
  }

  private create() {
    const map = createMap(this.canvas, { attributionControl: false, keyboard: false, zoomControl: false, scrollWheelZoom: false });
    control.zoom({ zoomInTitle: this.zoomIn, zoomOutTitle: this.zoomOut }).addTo(map);
    tileLayer(this.tiles.url, { maxZoom: 19 }).addTo(map);
    map.on('click', (e: LeafletMouseEvent) => this.place(e.latlng));
    this.map = map;
    this.open();
    this.resize.observe(this.canvas);
  }

  /** The town's box (or France), at a zoom where a street can be told from the next. */
  private open() {
    const e = this.extent;
    if (e) this.map!.fitBounds(latLngBounds([e.south, e.west], [e.north, e.east]), { padding: [16, 16], maxZoom: 16, animate: false });
    else this.map!.setView([46.6, 2.4], 5, { animate: false });
  }

  /**
   * Shows the pin the form holds. One put elsewhere (an address chosen) is brought to the centre, close
   * enough to be dragged to the very spot or moved from there by keyboard.
   */
  private follow() {
    const map = this.map!;
    if (!this.pin) {
      this.marker?.remove();
      this.marker = undefined;
      return;
    }
    const shown = this.marker?.getLatLng();
    if (shown && shown.lat === this.pin.lat && shown.lng === this.pin.long) return;
    this.setMarker(this.pin);
    map.setView([this.pin.lat, this.pin.long], Math.max(map.getZoom(), 17), { animate: false });
  }

  private setMarker(at: Pin) {
    if (this.marker) return void this.marker.setLatLng([at.lat, at.long]);
    // Not focusable itself: the map is the one keyboard path to the pin.
    const pin = createMarker([at.lat, at.long], {
      icon: pinIcon(divIcon), draggable: true, keyboard: false,
    });
    pin.on('dragend', () => this.place(pin.getLatLng()));
    this.marker = pin.addTo(this.map!);
  }

  private place(latlng: LatLng) {
    const wrapped = latlng.wrap();
    const at = { lat: round(wrapped.lat), long: round(wrapped.lng) };
    this.setMarker(at);
    this.dispatchEvent(new PinEvent(at));
  }

  private onKeydown = (e: KeyboardEvent) => {
    // Keys on Leaflet's zoom buttons are theirs.
    if (!this.map || e.target !== this.canvas) return;
    if (pinByKey(e, this.map, this.marker?.getLatLng() ?? null, (at) => this.place(at))) e.preventDefault();
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'georeport-admin-pin-map': AdminPinMap;
  }
  interface GlobalEventHandlersEventMap {
    'georeport-admin-pin': PinEvent;
  }
}
