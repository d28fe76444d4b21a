import { LitElement, html, css } from 'lit';

/**
 * The drop-in element a web editor pastes: the report form, configured by attributes that it passes on.
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
    maxPhotos: { type: Number, attribute: 'max-photos' },
    contactRequired: { type: Boolean, attribute: 'contact-required' },
  };

  declare server: string;
  declare jurisdiction: string;
  declare apiKey: string;
  declare services: string;
  declare noMap: boolean;
  declare maxPhotos: number;
  declare contactRequired: boolean;

  constructor() {
    super();
    this.server = '';
    this.jurisdiction = '';
    this.apiKey = '';
    this.services = '';
    this.noMap = false;
    this.maxPhotos = 4;
    this.contactRequired = false;
  }

  override render() {
    return html`<georeport-form exportparts="form, button" server=${this.server} jurisdiction=${this.jurisdiction}
      api-key=${this.apiKey} services=${this.services} ?no-map=${this.noMap} max-photos=${this.maxPhotos}
      ?contact-required=${this.contactRequired}></georeport-form>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'georeport-widget': GeoReportWidget;
  }
}
