import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { Coloured } from '../colours.ts';
import { createClient, type GeoReportClient } from '../api/client.ts';
import type { PublicRequest, TrackedRequest } from '../api/types.ts';
import { Translated } from '../i18n/translated.ts';
import { dateOf, statusOf } from '../request-map/format.ts';
import { formStyles } from '../styles/form.styles.ts';
import { reportsStyles } from '../styles/reports.styles.ts';
import { TRACKED_CHANGED, trackedRequests, type Tracked } from './tracked.ts';

/**
 * "My reports": the requests filed or followed on this device (kept in local storage, no account), each
 * with its current status and the city's latest note, opening on its page. A report the public may not
 * see is asked about with the tracking token its filing was answered with: "awaiting approval" while a
 * moderator checks it, or its status and the city's reason once rejected. Follows the list as it changes.
 *
 * @csspart link - The link to each request's page.
 */
export class GeoReportMyRequests extends Translated(Coloured(LitElement)) {
  static override styles = [formStyles, reportsStyles];
  static override properties = {
    server: { type: String },
    jurisdiction: { type: String },
    found: { state: true },
    own: { state: true },
    state: { state: true },
  };

  declare server: string;
  declare jurisdiction: string;
  /** The public requests among those listed, by id. */
  declare found: Map<string, PublicRequest>;
  /** Those filed here that the public may not see, as the tracking call answers them, by id. */
  declare own: Map<string, TrackedRequest>;
  declare state: 'loading' | 'ready' | 'failed';
  private tracked: Tracked[] = [];
  private client: GeoReportClient | undefined;
  private refresh = () => void this.load();

  constructor() {
    super();
    this.server = '';
    this.jurisdiction = '';
    this.found = new Map();
    this.own = new Map();
    this.state = 'loading';
  }

  override connectedCallback() {
    super.connectedCallback();
    window.addEventListener(TRACKED_CHANGED, this.refresh);
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    window.removeEventListener(TRACKED_CHANGED, this.refresh);
  }

  override willUpdate(changed: PropertyValues<this>) {
    if (!this.client || changed.has('server') || changed.has('jurisdiction')) {
      this.client = createClient({ server: this.server || location.href, jurisdiction: this.jurisdiction || undefined, locale: this.language });
      void this.load();
    }
  }

  override render() {
    const t = this.t;
    return html`
      <section aria-labelledby="mine-title">
        <h2 class="title" id="mine-title">${t.mine.title}</h2>
        ${this.tracked.length === 0 ? html`<p>${t.mine.empty}</p>` : nothing}
        ${this.state === 'failed' ? html`<p class="error" role="alert">${t.mine.loadError}</p>` : nothing}
        <ul class="mine">
          ${this.tracked.map((item) => html`<li>${this.entry(item)}</li>`)}
        </ul>
      </section>
    `;
  }

  /** One request: its number and category (a link to its page once public), whose it is, and its state. */
  private entry(item: Tracked) {
    const t = this.t;
    const r = this.found.get(item.id);
    const own = r ? undefined : this.own.get(item.id);
    const name = r?.service_name ?? own?.service_name;
    const title = `${t.detail.title(item.id)}${name ? ` · ${name}` : ''}`;
    const note = (text: string | null) => (text ? html`<p class="mine__line detail__event-note">${t.detail.note} ${text}</p>` : nothing);
    const status = (modifier: string, words: string) => html`<span class="status status--${modifier}">${words}</span>`;
    return html`
      ${r ? html`<a class="mine__link" part="link" href=${this.client!.pageUrl(item.id)}>${title}</a>` : html`<strong class="mine__title">${title}</strong>`}
      <p class="mine__line">${item.kind === 'filed' ? t.mine.filed : t.mine.followed}</p>
      ${r ? html`<p class="mine__line">${status(r.status, statusOf(t, r))} · ${t.detail.updated} ${dateOf(this.language, r.updated_datetime)}</p>${note(r.status_notes)}`
        : own?.visibility === 'pending' ? html`<p class="mine__line">${status('pending', t.statuses.pending)}</p><p class="mine__line">${t.afterSending.heldNote}</p>`
        : own ? html`<p class="mine__line">${status(own.status, t.statuses[own.detailed_status])}</p>${note(own.status_notes)}`
        : this.state === 'ready' ? html`<p class="mine__line">${t.mine.gone}</p>` : nothing}`;
  }

  private async load() {
    this.tracked = trackedRequests(this.server, this.jurisdiction);
    if (this.tracked.length === 0) {
      this.state = 'ready';
      this.requestUpdate();
      return;
    }
    const client = this.client;
    if (!client) return; // before the first update, which loads
    this.state = 'loading';
    try {
      const found = new Map((await client.requests(this.tracked.map((t) => t.id))).map((r) => [r.service_request_id, r]));
      // The public does not see these: their filer asks with the token (a few at most: held or rejected ones).
      const hidden = this.tracked.filter((t) => t.token && !found.has(t.id));
      const own = await Promise.all(hidden.map((t) => client.tracking(t.id, t.token!)));
      this.found = found;
      this.own = new Map(own.filter((r) => r !== undefined).map((r) => [r.service_request_id, r]));
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
