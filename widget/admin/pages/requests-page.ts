import { html, nothing, type LitElement, type PropertyValues } from 'lit';
import { QUEUES, type Queue } from '../../../server/shared/inbox.ts';
import { AdminPage } from '../admin-page.ts';
import { adminStyles } from '../admin.styles.ts';
import { localized, type CatalogueDoc, type ResponseTemplate } from '../catalogue-doc.ts';
import type { InboxBulkEvent, InboxOpenEvent, InboxSelectEvent, InboxSortEvent, RequestShownEvent } from '../inbox/inbox-events.ts';
import { inboxHash, listQuery, sortOf, type InboxItem, type InboxPage } from '../inbox/inbox-route.ts';
import type { AdminInboxTable } from '../inbox/inbox-table.ts';
import { inboxStyles } from '../inbox/inbox.styles.ts';

/** Rows of the list; the map shows up to the API's largest page. */
const LIST_PAGE = 50;
const MAP_PAGE = 500;

type Person = { id: string; name: string };

/**
 * The agent's inbox: a town's requests (`moderation`: those waiting for it) as a list or on a map, with
 * the queues and their counts ("my requests", "unassigned", "overdue", "to moderate"), filters, a sort
 * by any column, selection and bulk actions; the request chosen opens beside the list on wide screens
 * (alone, with a way back, on narrow ones), with who has it and a way to take or assign it. Everything
 * that makes the view (filters, sort, page, the request open) is in the address's hash, so reloading,
 * going back and forth or sharing the address shows the same view.
 */
export class AdminRequestsPage extends AdminPage {
  static override styles = [adminStyles, inboxStyles];
  static override properties = {
    ...AdminPage.properties, moderation: { type: Boolean }, requestId: { type: String, attribute: 'request-id' }, query: { type: String },
    found: { state: true }, queues: { state: true }, selected: { state: true }, onMap: { state: true }, services: { state: true },
    assignees: { state: true }, templates: { state: true }, holder: { state: true }, busy: { state: true },
  };
  declare moderation: boolean;
  /** The request open beside the list ('' for none). */
  declare requestId: string;
  /** The hash's query string: the list's filters, sort and page. */
  declare query: string;
  declare found: InboxPage | null;
  declare queues: { id: Queue; count: number; filters: Record<string, string> }[];
  /** Ids of the requests selected for a bulk action. */
  declare selected: string[];
  declare onMap: boolean;
  declare services: { code: string; name: string }[];
  declare assignees: Person[];
  declare templates: ResponseTemplate[];
  /** Who has the request open (loaded with it). */
  declare holder: Person | null;
  /** A list is on its way (`aria-busy` on the list, so a screen reader waits for the new one). */
  declare busy: boolean;
  /** The request open before the list came back, whose row takes the focus again. */
  private lastOpen = '';
  private loads = 0;
  /** The list's latest load: the row to focus is looked for in the list it brings, not the one before. */
  private loading: Promise<void> = Promise.resolve();

  constructor() {
    super();
    this.moderation = false;
    this.requestId = '';
    this.query = '';
    this.found = null;
    this.queues = [];
    this.selected = [];
    this.onMap = false;
    this.services = [];
    this.assignees = [];
    this.templates = [];
    this.holder = null;
    this.busy = false;
  }

  private get section() {
    return this.moderation ? 'moderation' : 'requests';
  }

  private get params() {
    return listQuery(this.query);
  }

  private get agent() {
    return this.staffRole !== 'readonly';
  }

  override willUpdate(changed: PropertyValues<this>) {
    if (changed.has('requestId') && changed.get('requestId')) this.lastOpen = changed.get('requestId')!;
    if (!this.jurisdiction) return;
    if (changed.has('requestId')) this.holder = null; // until the request opened says who holds it
    // Opening a request beside the list reads neither again: the request says when it changed.
    if (['jurisdiction', 'moderation', 'query', 'onMap'].some((p) => changed.has(p as keyof AdminRequestsPage))) this.loading = this.load();
    if (changed.has('jurisdiction')) {
      void this.api.get<CatalogueDoc>(this.path('catalogue')).then((doc) => (this.services = doc.services.map((s) => ({ code: s.code, name: localized(s.name, this.t.locale) }))), () => undefined);
      void this.api.get<{ assignees: Person[] }>(this.path('assignees')).then((a) => (this.assignees = a.assignees), () => undefined);
      void this.api.get<{ templates: ResponseTemplate[] }>(this.path('templates')).then((x) => (this.templates = x.templates), () => undefined);
    }
  }

  /**
   * Where the focus goes when the view changes: the open request's heading, or the row of the one just
   * closed once the new list is drawn (none if the request has left the list: the page's heading then).
   */
  async focusTarget(): Promise<HTMLElement | null> {
    await this.updateComplete;
    if (this.requestId) {
      const detail = this.renderRoot.querySelector('georeport-admin-request') as LitElement | null;
      await detail?.updateComplete;
      return detail?.shadowRoot?.querySelector('h1') ?? null;
    }
    await this.loading;
    await this.updateComplete;
    const table = this.renderRoot.querySelector('georeport-admin-inbox-table') as AdminInboxTable | null;
    await table?.updateComplete;
    return (this.lastOpen && table?.rowOf(this.lastOpen)) || null;
  }

  protected override heading() {
    return this.moderation ? this.t.requests.moderationTitle : this.t.requests.title;
  }

  protected override body() {
    const t = this.t.requests;
    const open = Boolean(this.requestId);
    return html`<div class=${open ? 'inbox open' : 'inbox'}>
      <div class="controls">
        ${this.moderation ? nothing : html`${this.queueLinks()}${this.filters()}`}
        <div class="toolbar">
          <p role="status">${this.found ? `${t.count(this.found.total)}${this.onMap && this.found.total > MAP_PAGE ? ` ${t.mapNewest(MAP_PAGE)}` : ''}` : ''}</p>
          <p class="row" role="group" aria-label=${t.view}>
            <button type="button" class="secondary" aria-pressed=${String(!this.onMap)} @click=${() => (this.onMap = false)}>${t.asList}</button>
            <button type="button" class="secondary" aria-pressed=${String(this.onMap)} @click=${() => (this.onMap = true)}>${t.asMap}</button>
          </p>
        </div>
      </div>
      <div class="layout">
        <div class="list" aria-busy=${String(this.busy)}>
          ${this.agent && !this.onMap ? html`<georeport-admin-bulk .t=${this.t} .selection=${this.selection()} .assignees=${this.assignees} .templates=${this.templates}
            staff-id=${this.staffId} ?moderation=${this.moderation} @georeport-inbox-bulk=${this.bulk}></georeport-admin-bulk>` : nothing}
          ${this.results()}
        </div>
        ${open ? this.detail() : nothing}
      </div>
    </div>`;
  }

  /** The requests selected, as the list shows them. */
  private selection(): InboxItem[] {
    return (this.found?.requests ?? []).filter((r) => this.selected.includes(r.service_request_id));
  }

  private queueLinks() {
    const current = this.params;
    const sort = current.get('sort');
    const link = (filters: Record<string, string>) => inboxHash('requests', null, new URLSearchParams({ ...filters, ...(sort ? { sort } : {}) }));
    const shown = [...current].filter(([k]) => k !== 'sort' && k !== 'page');
    const isCurrent = (filters: Record<string, string>) =>
      shown.length === Object.keys(filters).length && shown.every(([k, v]) => filters[k] === v);
    return html`<nav class="queues" aria-label=${this.t.inbox.queues}><ul>
      <li><a href=${link({})} aria-current=${isCurrent({}) ? 'page' : nothing}>${this.t.inbox.all}</a></li>
      ${this.queues.map((q) => html`<li><a href=${link(q.filters)} aria-current=${isCurrent(q.filters) ? 'page' : nothing}>
        ${this.t.inbox.queue[q.id]} <span class="count">${q.count}</span></a></li>`)}
    </ul></nav>`;
  }

  private filters() {
    const t = this.t.requests;
    const q = this.params;
    const option = (value: string, label: string, name: string) => html`<option value=${value} ?selected=${(q.get(name) ?? '') === value}>${label}</option>`;
    return html`
      <form class="filters" @submit=${this.filter}>
        <div class="field"><label for="q">${t.search}</label><input id="q" name="q" type="search" .value=${q.get('q') ?? ''} /></div>
        <div class="field"><label for="status">${t.status}</label>
          <select id="status" name="status">${option('', t.any, 'status')}${option('open', t.open, 'status')}${option('closed', t.closed, 'status')}</select></div>
        <div class="field"><label for="visibility">${t.visibility}</label>
          <select id="visibility" name="visibility">${option('', t.any, 'visibility')}${option('pending', t.pending, 'visibility')}
            ${option('published', t.published, 'visibility')}${option('hidden', t.hidden, 'visibility')}</select></div>
        <div class="field"><label for="service">${t.service}</label>
          <select id="service" name="service_code">${option('', t.any, 'service_code')}${this.services.map((s) => option(s.code, s.name, 'service_code'))}</select></div>
        <div class="field"><label for="assignee">${this.t.inbox.assignee}</label>
          <select id="assignee" name="assignee">${option('', this.t.inbox.any, 'assignee')}${option('me', this.t.inbox.me, 'assignee')}
            ${option('none', this.t.inbox.nobody, 'assignee')}${this.assignees.map((a) => option(a.id, a.name, 'assignee'))}</select></div>
        <div class="field"><label for="sla">${this.t.inbox.slaFilter}</label>
          <select id="sla" name="sla">${option('', this.t.inbox.anyDeadline, 'sla')}${option('overdue', this.t.inbox.sla.overdue, 'sla')}
            ${option('due_today', this.t.inbox.sla.due_today, 'sla')}</select></div>
        <button type="submit">${t.filter}</button>
      </form>`;
  }

  private results() {
    const t = this.t.requests;
    if (!this.found) return html`<p>${this.t.loading}</p>`;
    const { total, requests } = this.found;
    const page = Number(this.params.get('page') ?? 1);
    return html`
      ${requests.length === 0 ? html`<p>${t.none}</p>` : this.onMap ? this.map(requests) : html`
        <georeport-admin-inbox-table .t=${this.t} .items=${requests} .sort=${sortOf(this.params)} .selected=${this.selected} ?selectable=${this.agent}
          ?compact=${Boolean(this.requestId)}
          open-id=${this.requestId} caption=${this.heading()} .href=${(id: string) => inboxHash(this.section, id, this.params)}
          @georeport-inbox-sort=${this.sort} @georeport-inbox-open=${(e: InboxOpenEvent) => (location.hash = inboxHash(this.section, e.id, this.params))}
          @georeport-inbox-select=${(e: InboxSelectEvent) => (this.selected = e.ids)}></georeport-admin-inbox-table>
        <p class="row">
          <button type="button" class="secondary" ?disabled=${page <= 1} @click=${() => this.go(page - 1)}>${t.previous}</button>
          <button type="button" class="secondary" ?disabled=${page * LIST_PAGE >= total} @click=${() => this.go(page + 1)}>${t.next}</button>
        </p>`}`;
  }

  private map(requests: InboxItem[]) {
    const points = requests.filter((r) => r.lat !== null && r.long !== null).map((r) => ({
      lat: r.lat!, long: r.long!, title: `${r.service_request_id} · ${r.service_name}${r.address ? ` · ${r.address}` : ''}`,
      href: inboxHash(this.section, r.service_request_id, this.params),
    }));
    return html`<georeport-admin-map .points=${points} .tiles=${this.tiles} label=${this.t.requests.mapLabel}></georeport-admin-map>`;
  }

  /** The request open beside the list: a way back, who has it (the choice of an assignee shows it to agents), and the request's own page. */
  private detail() {
    const t = this.t.inbox;
    const back = inboxHash(this.section, null, this.params);
    return html`<section class="detail" aria-label=${t.detail(this.requestId)} @keydown=${this.escape}>
      <div class="detail-bar">
        <a class="close" href=${back}>${t.close}</a><a class="back" href=${back}>${t.backToList}</a>
        <div class="assignment">
          ${this.agent ? html`
            ${this.holder?.id === this.staffId ? nothing : html`<button type="button" @click=${() => this.assign(this.staffId, t.taken)}>${t.take}</button>`}
            <label for="assignee-choice">${t.assignTo}</label>
            <select id="assignee-choice">${this.assignees.map((a) => html`<option value=${a.id} ?selected=${a.id === this.holder?.id}>${a.name}</option>`)}
              <option value="" ?selected=${!this.holder}>${t.nobody}</option></select>
            <button type="button" class="secondary" @click=${this.assignChosen}>${t.assign}</button>`
          : html`<p>${this.holder ? t.assignedTo(this.holder.name) : t.notAssigned}</p>`}
        </div>
      </div>
      <georeport-admin-request @georeport-request-shown=${this.shown} .api=${this.api} .t=${this.t} .tiles=${this.tiles} .staffId=${this.staffId} jurisdiction=${this.jurisdiction}
        staff-role=${this.staffRole} request-id=${this.requestId}></georeport-admin-request>
    </section>`;
  }

  /** Escape in the open request (not in one of its dialogs) goes back to the list. */
  private escape = (e: KeyboardEvent) => {
    if (e.key !== 'Escape' || e.defaultPrevented || e.composedPath().some((el) => el instanceof HTMLDialogElement)) return;
    location.hash = inboxHash(this.section, null, this.params);
  };

  /** The request open beside the list, as it now is: who holds it; changed, the list and queues again. */
  private shown = (e: RequestShownEvent) => {
    if (e.request.service_request_id !== this.requestId) return;
    this.holder = e.request.assignee;
    if (e.changed) this.loading = this.load();
  };

  private assignChosen = () => {
    const id = (this.renderRoot.querySelector('#assignee-choice') as HTMLSelectElement).value;
    const name = this.assignees.find((a) => a.id === id)?.name;
    void this.assign(id || null, name ? this.t.inbox.given(name) : this.t.inbox.released);
  };

  private async assign(staffId: string | null, done: string) {
    const updated = await this.run(() => this.api.put<{ assignee: Person | null }>(this.path(`requests/${this.requestId}/assignee`), { staff_id: staffId }), '');
    if (!updated) return;
    this.holder = updated.assignee;
    await this.load();
    this.message = done;
  }

  private bulk = async (e: InboxBulkEvent) => {
    const action = e.body.action as keyof AdminPage['t']['inbox']['bulk']['done'];
    const result = await this.run(() => this.api.post<{ changed: string[] }>(this.path('requests/bulk'), e.body), '');
    if (!result) return;
    const n = result.changed.length;
    this.selected = [];
    await Promise.all([this.load(), this.renderRoot.querySelector('georeport-admin-request')?.load()]);
    this.message = action === 'merge' ? this.t.inbox.bulk.done.merge(n, String(e.body.into)) : this.t.inbox.bulk.done[action](n);
  };

  private sort = (e: InboxSortEvent) => {
    const now = sortOf(this.params);
    const params = this.params;
    params.set('sort', `${now.key === e.key && !now.descending ? '-' : ''}${e.key}`);
    params.delete('page');
    location.hash = inboxHash(this.section, this.requestId || null, params);
  };

  private filter = (e: Event) => {
    e.preventDefault();
    const params = new URLSearchParams([...new FormData(e.target as HTMLFormElement)].filter(([, v]) => v !== '') as [string, string][]);
    const sort = this.params.get('sort');
    if (sort) params.set('sort', sort);
    location.hash = inboxHash(this.section, null, params);
  };

  private go(page: number) {
    const params = this.params;
    params.set('page', String(page));
    location.hash = inboxHash(this.section, this.requestId || null, params);
  }

  /**
   * The list (a page of it, or the map's 500) and the queues' counts; an answer overtaken by a later load
   * is dropped. A new view clears the last action's message (a refusal says why instead).
   */
  private async load() {
    const load = ++this.loads;
    this.busy = true;
    const q = this.params;
    q.set('per_page', String(this.onMap ? MAP_PAGE : LIST_PAGE));
    if (this.onMap) q.delete('page');
    const [found, queues] = await Promise.all([
      this.run(() => this.api.get<InboxPage>(this.path(`${this.section}?${q}`)), ''),
      this.api.get<{ queues: AdminRequestsPage['queues'] }>(this.path('queues')).catch(() => undefined),
    ]);
    if (load !== this.loads) return;
    this.busy = false;
    this.found = found ?? { total: 0, requests: [] };
    if (queues) this.queues = queues.queues.filter((x) => x.id in QUEUES);
    const shown = new Set(this.found.requests.map((r) => r.service_request_id));
    this.selected = this.selected.filter((id) => shown.has(id));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'georeport-admin-requests': AdminRequestsPage;
  }
}
