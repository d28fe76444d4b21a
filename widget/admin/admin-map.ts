import { LitElement, css, html, unsafeCSS, type PropertyValues } from 'lit';
import { circleMarker, latLngBounds, layerGroup, map as createMap, tileLayer, type LayerGroup, type Map as LeafletMap } from 'leaflet/dist/leaflet-src.esm.js';
import { tilesCredit } from '../map/map-settings.ts';
import { leafletCss } from '../styles/leaflet.css.ts';

/** A point on the back office's map: a request (with its page) or a heat-map cell (with its weight). */
export interface MapPoint {
  lat: number;
  long: number;
  title: string;
  /** Where a click goes (a `#/…` route). */
  href?: string;
  /** Relative size, 1 for a single request. */
  weight?: number;
}

/** The tile server the back office's maps use, from the page (`<georeport-admin tile-url attribution>`). */
export interface Tiles {
  url: string;
  attribution: string;
}

/**
 * A map of points for staff (requests found, or where requests come from), fitted to them. It repeats a
 * table shown beside it, which stays the accessible way to the same data: the map is one landmark with a
 * name, its points are for pointing devices.
 */
export class AdminMap extends LitElement {
  static override styles = [unsafeCSS(leafletCss), css`
    :host { display: block; }
    .canvas { height: 420px; border: 1px solid #c6c6c6; border-radius: 4px; }
    .credit { font-size: 0.85em; color: #555; margin: 0.2em 0 0; }
    .credit a { color: inherit; }
  `];
  static override properties = { points: { attribute: false }, tiles: { attribute: false }, label: { type: String }, osmCredit: { type: String, attribute: 'osm-credit' } };
  declare points: MapPoint[];
  declare tiles: Tiles;
  declare label: string;
  declare osmCredit: string;
  private readonly canvas = Object.assign(document.createElement('div'), { className: 'canvas' });
  private map: LeafletMap | undefined;
  private layer: LayerGroup | undefined;
  private readonly resize = new ResizeObserver(() => this.map?.invalidateSize());

  constructor() {
    super();
    this.points = [];
    this.tiles = { url: '', attribution: '' };
    this.label = '';
    this.osmCredit = '© OpenStreetMap';
  }

  override render() {
    const credit = tilesCredit(this.tiles.attribution, this.tiles.url, this.osmCredit);
    this.canvas.setAttribute('role', 'region');
    this.canvas.setAttribute('aria-label', this.label);
    return html`${this.canvas}<p class="credit">${credit.href ? html`<a href=${credit.href} target="_blank" rel="noopener">${credit.text}</a>` : credit.text}</p>`;
  }

  override updated(changed: PropertyValues<this>) {
    if (!this.map) {
      this.map = createMap(this.canvas, { attributionControl: false, keyboard: false, scrollWheelZoom: false }).setView([46.6, 2.4], 5);
      tileLayer(this.tiles.url, { maxZoom: 19 }).addTo(this.map);
      this.layer = layerGroup().addTo(this.map);
      this.resize.observe(this.canvas);
    }
    if (changed.has('points')) this.draw();
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    this.resize.disconnect();
    this.map?.remove();
    this.map = this.layer = undefined;
  }

  private draw() {
    const heaviest = Math.max(1, ...this.points.map((p) => p.weight ?? 1));
    this.layer!.clearLayers();
    for (const p of this.points) {
      const dot = circleMarker([p.lat, p.long], { radius: 5 + 15 * Math.sqrt((p.weight ?? 1) / heaviest), color: '#0b5cad', weight: 2, fillOpacity: 0.45 });
      // Leaflet writes a string tooltip with innerHTML; a resident's address is text, so it goes in as a node.
      dot.bindTooltip(Object.assign(document.createElement('span'), { textContent: p.title }));
      if (p.href) dot.on('click', () => (location.hash = p.href!));
      this.layer!.addLayer(dot);
    }
    if (this.points.length) this.map!.fitBounds(latLngBounds(this.points.map((p) => [p.lat, p.long])), { padding: [24, 24], maxZoom: 17 });
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'georeport-admin-map': AdminMap;
  }
}
