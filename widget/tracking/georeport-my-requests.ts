import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { Coloured } from '../colours.ts';
import { createClient } from '../api/client.ts';
import type { PublicRequest } from '../api/types.ts';
import { languageOf, messagesFor, type Messages } from '../i18n/index.ts';
import { dateOf, statusOf } from '../request-map/format.ts';
import { formStyles } from '../styles/form.styles.ts';
import { reportsStyles } from '../styles/reports.styles.ts';
import { TRACKED_CHANGED, trackedRequests, type Tracked } from './tracked.ts';

/**
 * "My reports": the requests filed or followed on this device (kept in local storage, no account), each
 * with its current status and the city's latest note. Follows the list as it changes.
 */
export class GeoReportMyRequests extends Coloured(LitElement) {
  static override styles = [formStyles, reportsStyles];
  static override properties = {
    server: { type: String },
    jurisdiction: { type: String },
    found: { state: true },
    state: { state: true },
  };

  declare server: string;
  declare jurisdiction: string;
  declare found: Map<string, PublicRequest>;
  declare state: 'loading' | 'ready' | 'failed';
  private t: Messages = messagesFor('en');
  private language = 'en';
  private tracked: Tracked[] = [];
  private refresh = () => void this.load();

  constructor() {
    super();
    this.server = '';
    this.jurisdiction = '';
    this.found = new Map();
    this.state = 'loading';
  }

  override connectedCallback() {
    super.connectedCallback();
    this.language = languageOf(this);
    this.t = messagesFor(this.language);
    window.addEventListener(TRACKED_CHANGED, this.refresh);
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    window.removeEventListener(TRACKED_CHANGED, this.refresh);
  }

  override willUpdate(changed: PropertyValues<this>) {
    if (changed.has('server') || changed.has('jurisdiction')) void this.load();
  }

  override render() {
    const t = this.t;
    return html`
      <section aria-labelledby="mine-title">
        <h2 class="title" id="mine-title">${t.mine.title}</h2>
        ${this.tracked.length === 0 ? html`<p>${t.mine.empty}</p>` : nothing}
        ${this.state === 'failed' ? html`<p class="error" role="alert">${t.mine.loadError}</p>` : nothing}
        <ul class="mine">
          ${this.tracked.map((item) => {
            const r = this.found.get(item.id);
            return html`<li>
              <strong>${t.detail.title(item.id)}</strong> · ${item.kind === 'filed' ? t.mine.filed : t.mine.followed}
              ${r ? html`<br />${r.service_name} · <span class="status status--${r.status}">${statusOf(t, r)}</span>
                  · ${t.detail.updated} ${dateOf(this.language, r.updated_datetime)}
                  ${r.status_notes ? html`<br /><span class="detail__event-note">${t.detail.note} ${r.status_notes}</span>` : nothing}`
                : this.state === 'ready' ? html`<br />${t.mine.gone}` : nothing}
            </li>`;
          })}
        </ul>
      </section>
    `;
  }

  private async load() {
    this.tracked = trackedRequests(this.server, this.jurisdiction);
    if (this.tracked.length === 0) {
      this.state = 'ready';
      this.requestUpdate();
      return;
    }
    this.state = 'loading';
    const client = createClient({ server: this.server || location.href, jurisdiction: this.jurisdiction || undefined, locale: this.language });
    try {
      const found = await client.requests(this.tracked.map((t) => t.id));
      this.found = new Map(found.map((r) => [r.service_request_id, r]));
      this.state = 'ready';
    } catch {
      this.state = 'failed';
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'georeport-my-requests': GeoReportMyRequests;
  }
}
