import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { LayerGroup, LeafletKeyboardEvent, Map as LeafletMap, Marker } from 'leaflet/dist/leaflet-src.esm.js';
import type { MapAnswer, MapMarker } from '../api/types.ts';
import type { LatLong } from '../map/index.ts';
import { adoptLeafletStyles, loadLeaflet, type Leaflet } from '../map/load-leaflet.ts';
import { clusterByGrid } from './cluster.ts';
import { clusterIcon, markerIcon, markerKind } from './icons.ts';

export interface ReportsMapSettings {
  center: LatLong | null;
  zoom: number | undefined;
  tileUrl: string;
  labels: { map: string; role: string; zoomIn: string; zoomOut: string; unavailable: string };
}

/** What the map's view covers: `bbox` as minLong, minLat, maxLong, maxLat. */
export interface MapView {
  bbox: [number, number, number, number];
  zoom: number;
}

export interface ReportsMapOptions {
  settings(): ReportsMapSettings;
  /** The view settled (opened, moved, zoomed): time to load what it shows. */
  onView(view: MapView): void;
  /** A request was chosen (click, or Enter on its marker). */
  onSelect(id: string): void;
  /** Accessible names of a request's marker and of a cluster. */
  markerLabel(m: MapMarker): string;
  clusterLabel(count: number, open: number): string;
}

/** Pixels: markers closer than this are drawn as one cluster in the browser. */
const CLUSTER_CELL = 48;
/** From this zoom on, every request gets its own marker. */
const NO_CLUSTERS_ZOOM = 18;
/** Waits this long after the last move before loading, so a drag loads once. */
const SETTLE_MS = 150;

/**
 * Owns the public map's Leaflet map (created once in `container`, which Lit renders as is): the view
 * it reports after each move, and the markers and clusters it is given. Markers and clusters are
 * keyboard-focusable buttons with accessible names (Leaflet's `keyboard` option: Tab reaches them, Enter
 * opens them); the map itself pans with the arrow keys and zooms with + and -. Leaflet loads when the
 * container first has a size (`loadLeaflet`); if it cannot, the container says so.
 */
export class ReportsMapController implements ReactiveController {
  readonly container = document.createElement('div');
  private leaflet: Leaflet | undefined;
  /** Leaflet is on its way: the map is made once, when it comes. */
  private creating = false;
  private map: LeafletMap | undefined;
  private layer: LayerGroup | undefined;
  private resize: ResizeObserver | undefined;
  private settle: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly options: ReportsMapOptions,
  ) {
    host.addController(this);
    this.container.className = 'reports__canvas';
    this.container.setAttribute('part', 'map');
  }

  hostConnected() {
    this.host.requestUpdate();
  }

  hostUpdated() {
    if (!this.container.isConnected || this.resize) return;
    // The map is made once the container has a size: not in a hidden tab, where it would load tiles
    // (and ask the server) for nothing; then it follows the container's size.
    this.resize = new ResizeObserver(([entry]) => {
      if (!entry || entry.contentRect.width === 0 || entry.contentRect.height === 0) return;
      if (this.map) this.map.invalidateSize();
      else void this.create();
    });
    this.resize.observe(this.container);
  }

  private async create() {
    if (this.creating) return;
    this.creating = true;
    const settings = this.options.settings();
    this.container.setAttribute('aria-busy', 'true');
    try {
      this.leaflet ??= await loadLeaflet();
    } catch {
      this.container.textContent = settings.labels.unavailable;
      return;
    } finally {
      this.creating = false;
      this.container.removeAttribute('aria-busy');
    }
    // Gone from the page while Leaflet loaded: made when it is back.
    if (!this.resize || this.map) return;
    const L = this.leaflet;
    adoptLeafletStyles(this.container, L);
    this.container.replaceChildren();
    const at = settings.center;
    const map = L.map(this.container, {
      center: at ? [at.lat, at.long] : [20, 0],
      zoom: settings.zoom ?? (at ? 14 : 2),
      zoomControl: false,
      attributionControl: false, // written with innerHTML by Leaflet: the host shows the credit as text
    });
    L.control.zoom({ zoomInTitle: settings.labels.zoomIn, zoomOutTitle: settings.labels.zoomOut }).addTo(map);
    L.tileLayer(settings.tileUrl, { maxZoom: 19 }).addTo(map);
    this.container.setAttribute('aria-label', settings.labels.map);
    this.container.setAttribute('aria-roledescription', settings.labels.role);
    this.layer = L.layerGroup().addTo(map);
    map.on('moveend', () => this.viewChanged());
    this.map = map;
    this.viewChanged();
  }

  hostDisconnected() {
    clearTimeout(this.settle);
    this.resize?.disconnect();
    this.map?.remove();
    this.map = this.layer = this.resize = undefined;
  }

  /** The view as it is now, or undefined before the map exists. */
  view(): MapView | undefined {
    if (!this.map) return undefined;
    const b = this.map.getBounds();
    return { bbox: [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map((v, i) => Math.max(Math.min(v, i % 2 ? 90 : 180), i % 2 ? -90 : -180)) as MapView['bbox'], zoom: this.map.getZoom() };
  }

  /** Draws what the server answered for the current view. */
  show(answer: MapAnswer) {
    const { map, layer, leaflet: L } = this;
    if (!map || !layer || !L) return;
    layer.clearLayers();
    for (const c of answer.clusters ?? []) {
      this.add(L.marker([c.lat, c.long], { icon: clusterIcon(L, c.count, c.open), keyboard: true }), this.options.clusterLabel(c.count, c.open), () =>
        map.setView([c.lat, c.long], Math.min(map.getZoom() + 2, NO_CLUSTERS_ZOOM)));
    }
    const markers = answer.markers ?? [];
    const groups = map.getZoom() >= NO_CLUSTERS_ZOOM
      ? markers.map((m) => [m])
      : clusterByGrid(markers.map((m) => ({ ...map.latLngToLayerPoint([m.lat, m.long]), item: m })), CLUSTER_CELL);
    for (const group of groups) {
      if (group.length === 1) {
        const m = group[0]!;
        this.add(L.marker([m.lat, m.long], { icon: markerIcon(L, markerKind(m.status, m.detailed_status)), keyboard: true }), this.options.markerLabel(m), () =>
          this.options.onSelect(m.service_request_id));
        continue;
      }
      const bounds = L.latLngBounds(group.map((m) => [m.lat, m.long] as [number, number]));
      const open = group.filter((m) => m.status === 'open').length;
      this.add(L.marker(bounds.getCenter(), { icon: clusterIcon(L, group.length, open), keyboard: true }), this.options.clusterLabel(group.length, open), () =>
        map.fitBounds(bounds.pad(0.3), { maxZoom: NO_CLUSTERS_ZOOM }));
    }
  }

  private add(marker: Marker, label: string, onChoose: () => void) {
    marker.on('click', onChoose).addTo(this.layer!);
    // Leaflet makes keyboard markers focusable buttons but only opens popups from the keyboard.
    marker.on('keypress', (e: LeafletKeyboardEvent) => {
      if (e.originalEvent.key !== 'Enter' && e.originalEvent.key !== ' ') return;
      e.originalEvent.preventDefault();
      onChoose();
    });
    const element = marker.getElement();
    element?.setAttribute('aria-label', label);
    element?.setAttribute('title', label);
  }

  private viewChanged() {
    clearTimeout(this.settle);
    this.settle = setTimeout(() => {
      const view = this.view();
      if (view) this.options.onView(view);
    }, SETTLE_MS);
  }
}
