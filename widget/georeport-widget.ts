import { LitElement, html, css, nothing, type PropertyDeclarations, type PropertyValues } from 'lit';
import { Coloured } from './colours.ts';
import { Configurable } from './config.ts';
import { defineLater, type LaterElement } from './define.ts';
import { Translated } from './i18n/translated.ts';

type Panel = 'report' | 'map' | 'mine';
const PANELS: Panel[] = ['report', 'map', 'mine'];
/** The element of each panel but the form's, loaded when the panel is first shown. */
const LATER_PANELS: Partial<Record<Panel, LaterElement>> = { map: 'georeport-map', mine: 'georeport-my-requests' };

/**
 * The drop-in element a web editor pastes: the report form, the public map of requests and "my
 * reports", as tabs (default) or, with `layout="side"`, the form and the map side by side on wide
 * screens. Configured by attributes that it passes on. The map's: `center="lat,long"`, `zoom`,
 * `tile-url` (default OpenStreetMap's), `attribution` (text), `no-map` (no map anywhere: an address
 * field, and a list of requests); `geocoder-url` (a Base Adresse Nationale API) suggests addresses.
 * The map and "my reports" load the first time their tab is shown (side by side, at once), saying so
 * meanwhile, or, if they cannot, with a way to try again.
 *
 * @example <georeport-widget server="https://311.ville.example/" jurisdiction="ville.example" api-key="…"></georeport-widget>
 * @csspart tabs - The row of tabs.
 * @csspart form - The report form.
 * @csspart button - Every button.
 * @csspart map - Every map.
 */
export class GeoReportWidget extends Translated(Coloured(Configurable(LitElement))) {
  static override styles = css`
    :host { display: block; font-family: var(--georeport-font, system-ui, sans-serif); --_accent: var(--georeport-accent, #0b5cad); }
    /*
     * The tabs share one row at any width: each grows to an equal share, a two-word name wraps between its
     * words inside its tab, and on the narrowest screens the text is a little smaller rather than a tab going
     * to a second row.
     */
    :host { container-type: inline-size; }
    [role='tablist'] { display: flex; gap: 0.25em; border-bottom: 2px solid var(--_accent); margin-bottom: 1em; }
    [role='tab'] {
      flex: 1 1 0; min-width: min-content; font: inherit; padding: 0.4em 0.5em; min-height: 44px; border: 2px solid var(--_accent);
      border-bottom: 0; border-radius: 4px 4px 0 0; background: transparent; color: var(--_accent); cursor: pointer; line-height: 1.2;
    }
    @container (max-width: 320px) { [role='tab'] { font-size: 0.875em; padding-inline: 0.3em; } }
    [role='tab'][aria-selected='true'] { background: var(--_accent); color: var(--georeport-accent-text, #fff); }
    [role='tab']:focus-visible { outline: 3px solid var(--_accent); outline-offset: 2px; }
    .side { display: grid; gap: 1.5em; }
    @media (min-width: 900px) { .side { grid-template-columns: 1fr 1fr; } }
    [hidden] { display: none !important; }
    /* A panel whose element is loading, or could not load: the message, then "try again" as the form's buttons are. */
    .part-status { margin: 1em 0; color: var(--georeport-muted, #555); }
    .part-status--failed p { margin: 0 0 0.75em; color: var(--georeport-error, #b3261e); font-weight: 600; }
    .part-status button {
      font: inherit; min-height: 44px; padding: 0.55em 1.1em; border-radius: 4px; border: 2px solid var(--_accent);
      background: var(--_accent); color: var(--georeport-accent-text, #fff); cursor: pointer;
    }
    .part-status button:focus-visible { outline: 3px solid var(--_accent); outline-offset: 2px; }
  `;
  // Added to the configuration properties, which Lit inherits from the mixin's class.
  static override properties: PropertyDeclarations = {
    layout: { type: String },
    panel: { state: true },
    parts: { state: true },
  };

  /** `tabs` (default) or `side`. */
  declare layout: string;
  declare panel: Panel;
  /** The panels whose element is loading, or could not load. */
  declare parts: Partial<Record<Panel, 'loading' | 'failed'>>;

  constructor() {
    super();
    this.layout = 'tabs';
    this.panel = 'report';
    this.parts = {};
  }

  override willUpdate(changed: PropertyValues<this>) {
    if (changed.has('panel') || changed.has('layout')) {
      for (const p of this.layout === 'side' ? PANELS : [this.panel]) this.loadPanel(p);
    }
  }

  override render() {
    const form = html`<georeport-form exportparts="form, button, map" server=${this.server} jurisdiction=${this.jurisdiction}
      api-key=${this.apiKey} services=${this.offered} ?no-map=${this.noMap} max-photos=${this.maxPhotos}
      center=${this.center} zoom=${this.zoom ?? nothing} tile-url=${this.tileUrl} attribution=${this.attribution}
      geocoder-url=${this.geocoderUrl} ?contact-required=${this.contactRequired}></georeport-form>`;
    const map = html`<georeport-map exportparts="button, map" server=${this.server} jurisdiction=${this.jurisdiction}
      api-key=${this.apiKey} services=${this.offered} ?no-map=${this.noMap} center=${this.center} zoom=${this.zoom ?? nothing}
      tile-url=${this.tileUrl} attribution=${this.attribution}></georeport-map>`;
    const mine = html`<georeport-my-requests server=${this.server} jurisdiction=${this.jurisdiction}></georeport-my-requests>`;
    if (this.layout === 'side') return html`<div class="side">${form}<div>${map}${this.partStatus('map')}</div></div>${mine}${this.partStatus('mine')}`;
    const names: Record<Panel, string> = { report: this.t.tabs.report, map: this.t.tabs.map, mine: this.t.tabs.mine };
    return html`
      <div role="tablist" part="tabs" aria-label=${this.t.tabs.label} @keydown=${this.onTabKeys}>
        ${PANELS.map((p) => html`<button type="button" role="tab" id=${`tab-${p}`} aria-controls=${`panel-${p}`}
          aria-selected=${this.panel === p ? 'true' : 'false'} tabindex=${this.panel === p ? 0 : -1}
          @click=${() => (this.panel = p)}>${names[p]}</button>`)}
      </div>
      ${PANELS.map((p) => html`<div role="tabpanel" id=${`panel-${p}`} aria-labelledby=${`tab-${p}`} ?hidden=${this.panel !== p}>
        ${p === 'report' ? form : p === 'map' ? map : mine}${this.partStatus(p)}</div>`)}
    `;
  }

  /** Loads the element a panel shows, unless it is there already. */
  private loadPanel(p: Panel) {
    const name = LATER_PANELS[p];
    if (!name || customElements.get(name) || this.parts[p] === 'loading') return;
    this.parts = { ...this.parts, [p]: 'loading' };
    defineLater(name).then(
      () => (this.parts = { ...this.parts, [p]: undefined }),
      () => (this.parts = { ...this.parts, [p]: 'failed' }),
    );
  }

  /** While a panel's element loads, or when it could not. */
  private partStatus(p: Panel) {
    const state = this.parts[p];
    if (state === 'loading') return html`<p class="part-status" role="status">${this.t.parts.loading}</p>`;
    if (state !== 'failed') return nothing;
    return html`<div class="part-status part-status--failed" role="alert"><p>${this.t.parts.failed}</p>
      <button type="button" part="button" @click=${() => this.loadPanel(p)}>${this.t.parts.retry}</button></div>`;
  }

  /** The tabs pattern: arrows, Home and End move between tabs (and show them). */
  private onTabKeys = (e: KeyboardEvent) => {
    const at = PANELS.indexOf(this.panel);
    const next = e.key === 'ArrowRight' ? (at + 1) % PANELS.length : e.key === 'ArrowLeft' ? (at + PANELS.length - 1) % PANELS.length
      : e.key === 'Home' ? 0 : e.key === 'End' ? PANELS.length - 1 : -1;
    if (next < 0) return;
    e.preventDefault();
    this.panel = PANELS[next]!;
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`#tab-${this.panel}`)?.focus());
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'georeport-widget': GeoReportWidget;
  }
}
