import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { Coloured } from '../colours.ts';
import { createClient } from '../api/client.ts';
import type { PublicRequest } from '../api/types.ts';
import { Translated } from '../i18n/translated.ts';
import { statusOf } from '../request-map/format.ts';

/**
 * One request's status, anywhere on a site (a confirmation page, a newsletter archive): its number,
 * category, status in words and the city's latest public note.
 *
 * @example <georeport-status server="https://311.ville.example/" jurisdiction="ville.example" request-id="123"></georeport-status>
 * @csspart status - The status line.
 */
export class GeoReportStatus extends Translated(Coloured(LitElement)) {
  static override styles = css`
    :host { display: block; font-family: var(--georeport-font, system-ui, sans-serif); color: var(--georeport-text, #1b1b1b); }
    .note { margin: 0.25em 0 0; white-space: pre-line; overflow-wrap: anywhere; }
  `;
  static override properties = {
    server: { type: String },
    jurisdiction: { type: String },
    requestId: { type: String, attribute: 'request-id' },
    request: { state: true },
    state: { state: true },
  };

  declare server: string;
  declare jurisdiction: string;
  declare requestId: string;
  declare request: PublicRequest | null;
  declare state: 'loading' | 'ready' | 'missing' | 'failed';

  constructor() {
    super();
    this.server = '';
    this.jurisdiction = '';
    this.requestId = '';
    this.request = null;
    this.state = 'loading';
  }

  override willUpdate(changed: PropertyValues<this>) {
    if (changed.has('requestId') || changed.has('server') || changed.has('jurisdiction')) void this.load();
  }

  override render() {
    const t = this.t;
    const id = this.requestId;
    const r = this.request;
    return html`<div role="status" aria-live="polite">${
      this.state === 'loading' ? t.status.loading
      : this.state === 'missing' ? t.status.notFound(id)
      : this.state === 'failed' || !r ? t.mine.loadError
      : html`<p part="status">${t.status.line(id, statusOf(t, r))} · ${r.service_name}</p>
          ${r.status_notes ? html`<p class="note">${t.detail.note} ${r.status_notes}</p>` : nothing}`
    }</div>`;
  }

  private async load() {
    if (!/^\d{1,15}$/.test(this.requestId)) {
      this.state = 'missing';
      return;
    }
    this.state = 'loading';
    const client = createClient({ server: this.server || location.href, jurisdiction: this.jurisdiction || undefined, locale: this.language });
    try {
      const [found] = await client.requests([this.requestId]);
      this.request = found ?? null;
      this.state = found ? 'ready' : 'missing';
    } catch {
      this.state = 'failed';
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'georeport-status': GeoReportStatus;
  }
}
