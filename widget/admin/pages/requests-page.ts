import { html, nothing, type PropertyValues } from 'lit';
import { AdminPage } from '../admin-page.ts';
import { localized, type CatalogueDoc } from '../catalogue-doc.ts';

interface Summary {
  service_request_id: string;
  service_name: string;
  status: string;
  detailed_status: string;
  visibility: string;
  description: string | null;
  address: string | null;
  lat: number | null;
  long: number | null;
  channel: string;
  requested_datetime: string;
}

/** Rows of the list; the map shows up to the API's largest page. */
const LIST_PAGE = 50;
const MAP_PAGE = 500;

/**
 * The requests of the jurisdiction (`moderation`: those waiting for it), searchable and filtered by
 * status, visibility and category, as a list (50 a page) or on a map (the 500 newest that match); each
 * opens its page.
 */
export class AdminRequestsPage extends AdminPage {
  static override properties = {
    ...AdminPage.properties, moderation: { type: Boolean }, found: { state: true }, page: { state: true }, onMap: { state: true }, services: { state: true },
  };
  declare moderation: boolean;
  declare found: { total: number; requests: Summary[] } | null;
  declare page: number;
  declare onMap: boolean;
  declare services: { code: string; name: string }[];
  private query = new URLSearchParams();

  constructor() {
    super();
    this.moderation = false;
    this.found = null;
    this.page = 1;
    this.onMap = false;
    this.services = [];
  }

  override willUpdate(changed: PropertyValues<this>) {
    if (changed.has('jurisdiction') || changed.has('moderation')) void this.load();
    if (changed.has('jurisdiction') && this.jurisdiction && !this.moderation) {
      void this.api.get<CatalogueDoc>(this.path('catalogue')).then((doc) => (this.services = doc.services.map((s) => ({ code: s.code, name: localized(s.name) }))), () => undefined);
    }
  }

  protected override heading() {
    return this.moderation ? this.t.requests.moderationTitle : this.t.requests.title;
  }

  protected override body() {
    const t = this.t.requests;
    return html`
      ${this.moderation ? nothing : html`
        <form class="row" @submit=${this.filter}>
          <div class="field"><label for="q">${t.search}</label><input id="q" name="q" type="search" /></div>
          <div class="field"><label for="status">${t.status}</label>
            <select id="status" name="status"><option value="">${t.any}</option><option value="open">${t.open}</option><option value="closed">${t.closed}</option></select></div>
          <div class="field"><label for="visibility">${t.visibility}</label>
            <select id="visibility" name="visibility"><option value="">${t.any}</option><option value="pending">${t.pending}</option>
              <option value="published">${t.published}</option><option value="hidden">${t.hidden}</option></select></div>
          <div class="field"><label for="service">${t.service}</label>
            <select id="service" name="service_code"><option value="">${t.any}</option>${this.services.map((s) => html`<option value=${s.code}>${s.name}</option>`)}</select></div>
          <button type="submit">${t.filter}</button>
        </form>
        <p class="row" role="group" aria-label=${t.view}>
          <button type="button" class="secondary" aria-pressed=${String(!this.onMap)} @click=${() => this.show(false)}>${t.asList}</button>
          <button type="button" class="secondary" aria-pressed=${String(this.onMap)} @click=${() => this.show(true)}>${t.asMap}</button>
        </p>`}
      ${!this.found ? html`<p>${this.t.loading}</p>` : html`
        <p role="status">${t.count(this.found.total)}${this.onMap && this.found.total > MAP_PAGE ? ` ${t.mapNewest(MAP_PAGE)}` : ''}</p>
        ${this.found.requests.length === 0 ? html`<p>${t.none}</p>` : this.onMap ? this.map(this.found.requests) : this.list(this.found)}`}
    `;
  }

  private list(found: { total: number; requests: Summary[] }) {
    const t = this.t.requests;
    const when = (iso: string) => new Date(iso).toLocaleString(document.documentElement.lang || 'fr');
    return html`
      <table>
        <caption>${this.heading()}</caption>
        <thead><tr><th scope="col">${t.number}</th><th scope="col">${t.service}</th><th scope="col">${t.status}</th><th scope="col">${t.where}</th>
          <th scope="col">${t.filed}</th><th scope="col">${t.channel}</th></tr></thead>
        <tbody>${found.requests.map((r) => html`<tr>
          <td><a href=${`#/requests/${r.service_request_id}`}>${r.service_request_id}</a></td>
          <td>${r.service_name}<br /><span class="muted">${r.description ?? ''}</span></td>
          <td>${this.t.statuses[r.detailed_status] ?? r.detailed_status}${r.visibility !== 'published' ? html`<br /><span class="muted">${this.t.visibilities[r.visibility]}</span>` : nothing}</td>
          <td>${r.address ?? ''}</td><td>${when(r.requested_datetime)}</td><td>${this.t.channels[r.channel] ?? r.channel}</td></tr>`)}</tbody>
      </table>
      <p class="row">
        <button type="button" class="secondary" ?disabled=${this.page <= 1} @click=${() => this.go(this.page - 1)}>${t.previous}</button>
        <button type="button" class="secondary" ?disabled=${this.page * LIST_PAGE >= found.total} @click=${() => this.go(this.page + 1)}>${t.next}</button>
      </p>`;
  }

  private map(requests: Summary[]) {
    const points = requests.filter((r) => r.lat !== null && r.long !== null).map((r) => ({
      lat: r.lat!, long: r.long!, title: `${r.service_request_id} · ${r.service_name}${r.address ? ` · ${r.address}` : ''}`, href: `#/requests/${r.service_request_id}`,
    }));
    return html`<georeport-admin-map .points=${points} .tiles=${this.tiles} label=${this.t.requests.mapLabel}></georeport-admin-map>`;
  }

  private filter = (e: Event) => {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    this.query = new URLSearchParams([...new FormData(form)].filter(([, v]) => v !== '') as [string, string][]);
    this.go(1);
  };

  private show(onMap: boolean) {
    this.onMap = onMap;
    this.go(1);
  }

  private go(page: number) {
    this.page = page;
    void this.load();
  }

  private async load() {
    if (!this.jurisdiction) return;
    const q = new URLSearchParams(this.query);
    q.set('page', String(this.page));
    q.set('per_page', String(this.onMap ? MAP_PAGE : LIST_PAGE));
    this.found = (await this.run(() => this.api.get<{ total: number; requests: Summary[] }>(
      this.moderation ? this.path('moderation') : this.path(`requests?${q}`)), '')) ?? { total: 0, requests: [] };
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'georeport-admin-requests': AdminRequestsPage;
  }
}
