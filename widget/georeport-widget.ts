import { LitElement, html, css, nothing } from 'lit';

/**
 * The drop-in element a web editor pastes: the report form, configured by attributes that it passes on.
 * The map's: `center="lat,long"`, `zoom`, `tile-url` (default OpenStreetMap's), `attribution` (text),
 * `no-map`; `geocoder-url` (a Base Adresse Nationale API) suggests addresses as the resident types.
 *
 * @example <georeport-widget server="https://311.ville.example/" jurisdiction="ville.example" api-key="…"></georeport-widget>
 */
export class GeoReportWidget extends LitElement {
  static override styles = css`
    :host { display: block; }
  `;
  static override properties = {
    server: { type: String },
    jurisdiction: { type: String },
    apiKey: { type: String, attribute: 'api-key' },
    services: { type: String },
    noMap: { type: Boolean, attribute: 'no-map' },
    center: { type: String },
    zoom: { type: Number },
    tileUrl: { type: String, attribute: 'tile-url' },
    attribution: { type: String },
    geocoderUrl: { type: String, attribute: 'geocoder-url' },
    maxPhotos: { type: Number, attribute: 'max-photos' },
    contactRequired: { type: Boolean, attribute: 'contact-required' },
  };

  declare server: string;
  declare jurisdiction: string;
  declare apiKey: string;
  declare services: string;
  declare noMap: boolean;
  declare center: string;
  declare zoom: number | undefined;
  declare tileUrl: string;
  declare attribution: string;
  declare geocoderUrl: string;
  declare maxPhotos: number;
  declare contactRequired: boolean;

  constructor() {
    super();
    this.server = '';
    this.jurisdiction = '';
    this.apiKey = '';
    this.services = '';
    this.noMap = false;
    this.center = '';
    this.zoom = undefined;
    this.tileUrl = '';
    this.attribution = '';
    this.geocoderUrl = '';
    this.maxPhotos = 4;
    this.contactRequired = false;
  }

  override render() {
    return html`<georeport-form exportparts="form, button, map" server=${this.server} jurisdiction=${this.jurisdiction}
      api-key=${this.apiKey} services=${this.services} ?no-map=${this.noMap} max-photos=${this.maxPhotos}
      center=${this.center} zoom=${this.zoom ?? nothing} tile-url=${this.tileUrl} attribution=${this.attribution}
      geocoder-url=${this.geocoderUrl}
      ?contact-required=${this.contactRequired}></georeport-form>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'georeport-widget': GeoReportWidget;
  }
}
