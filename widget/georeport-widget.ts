import { Configurable } from './config.ts';
import { LitElement, html, css, nothing } from 'lit';

/**
 * The drop-in element a web editor pastes: the report form, configured by attributes that it passes on.
 * The map's: `center="lat,long"`, `zoom`, `tile-url` (default OpenStreetMap's), `attribution` (text),
 * `no-map`; `geocoder-url` (a Base Adresse Nationale API) suggests addresses as the resident types.
 *
 * @example <georeport-widget server="https://311.ville.example/" jurisdiction="ville.example" api-key="…"></georeport-widget>
 */
export class GeoReportWidget extends Configurable(LitElement) {
  static override styles = css`
    :host { display: block; }
  `;
  override render() {
    return html`<georeport-form exportparts="form, button, map" server=${this.server} jurisdiction=${this.jurisdiction}
      api-key=${this.apiKey} services=${this.offered} ?no-map=${this.noMap} max-photos=${this.maxPhotos}
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
