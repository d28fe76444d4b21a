import { LitElement, html, nothing, type PropertyDeclarations, type PropertyValues } from 'lit';
import { isEmailAddress } from '../../server/shared/checks.ts';
import { Coloured } from '../colours.ts';
import { createClient, type GeoReportClient } from '../api/client.ts';
import type { MapAnswer, PublicRequest, RequestFilters, Service } from '../api/types.ts';
import { Configurable } from '../config.ts';
import { Translated } from '../i18n/translated.ts';
import { OSM_TILE_URL, parseCenter, tilesCredit } from '../map/index.ts';
import { formStyles } from '../styles/form.styles.ts';
import { mapStyles } from '../styles/map.styles.ts';
import { reportsStyles } from '../styles/reports.styles.ts';
import { deviceId, trackRequest } from '../tracking/tracked.ts';
import { filtersForm } from './filters.ts';
import { FollowedEvent } from './events.ts';
import { MARKER_KINDS, shapeTemplate } from './icons.ts';
import { ReportsMapController, type MapView } from './reports-map-controller.ts';
import { requestDetail, type FollowState } from './request-detail.ts';
import { requestList, type ListState } from './request-list.ts';

const PAGE_SIZE = 20;
const NO_FOLLOW: FollowState = { state: 'idle', email: '', error: '', confirmEmail: false };

/**
 * The public map of requests: loaded by view as the map moves (clusters counted by the server when
 * zoomed out, markers grouped in the browser at street level), filtered by status, category and period,
 * with a list twin of the same requests and a detail view where a resident can follow one ("me too").
 * With `no-map`, the list alone.
 *
 * @event georeport-followed - The resident followed a request; `detail` has `id` and `followers`.
 * @csspart map - The map.
 * @csspart button - Every button.
 * @csspart link - The link from a request's detail to its page.
 * @cssproperty --georeport-map-height - The map's height (default 320px).
 * @cssproperty --georeport-accent - Buttons, focus ring and selection colour.
 */
export class GeoReportMap extends Translated(Coloured(Configurable(LitElement))) {
  static override styles = [formStyles, mapStyles, reportsStyles];
  static override properties: PropertyDeclarations = {
    view: { state: true },
    filters: { state: true },
    answer: { state: true },
    loading: { state: true },
    list: { state: true },
    selected: { state: true },
    detailFailed: { state: true },
    follow: { state: true },
    catalogue: { state: true },
  };

  declare view: 'map' | 'list';
  declare filters: RequestFilters;
  declare answer: MapAnswer | null;
  declare loading: 'loading' | 'ready' | 'failed';
  declare list: ListState | null;
  declare selected: PublicRequest | null;
  declare detailFailed: boolean;
  declare follow: FollowState;
  declare catalogue: Service[];

  private client: GeoReportClient | undefined;
  /** The server sends e-mail (its `widget-config`): "me too" offers updates by e-mail. */
  private emailUpdates = false;
  private lastView: MapView | null = null;
  /** The list's total (`X-Result-Count`), and whether the server estimated it. */
  private listTotal = 0;
  private listEstimated = false;
  private inFlight: AbortController | undefined;
  private focusAfterRender: string | null = null;
  private returnFocus: HTMLElement | null = null;
  private map = new ReportsMapController(this, {
    settings: () => ({
      center: parseCenter(this.center),
      zoom: Number.isFinite(this.zoom) ? this.zoom : undefined,
      tileUrl: this.tileUrl || OSM_TILE_URL,
      labels: { map: this.t.map.label, role: this.t.location.mapRole, zoomIn: this.t.location.zoomIn, zoomOut: this.t.location.zoomOut, unavailable: this.t.mapKey.reportsUnavailable },
    }),
    onView: (view) => {
      this.lastView = view;
      void this.load();
    },
    onSelect: (id) => void this.select(id),
    markerLabel: (m) => this.t.map.marker(this.serviceName(m.service_code), this.t.statuses[m.detailed_status]),
    clusterLabel: (count, open) => this.t.map.cluster(count, open),
  });

  constructor() {
    super();
    this.view = 'map';
    this.filters = { status: '', service: '', days: 0 };
    this.answer = null;
    this.loading = 'loading';
    this.list = null;
    this.selected = null;
    this.detailFailed = false;
    this.follow = NO_FOLLOW;
    this.catalogue = [];
  }

  /** What the map's view covers now (null before it is drawn, or with `no-map`). */
  get currentView(): MapView | null {
    return this.lastView;
  }

  override willUpdate(changed: PropertyValues<this>) {
    if (!this.client || changed.has('server') || changed.has('jurisdiction') || changed.has('apiKey')) {
      this.client = createClient({ server: this.server || location.href, jurisdiction: this.jurisdiction || undefined, apiKey: this.apiKey || undefined, locale: this.language });
      this.client.services().then((s) => (this.catalogue = s), () => (this.catalogue = []));
      this.client.widgetConfig().then((c) => (this.emailUpdates = c.email_updates), () => (this.emailUpdates = false)).finally(() => this.requestUpdate());
      if (this.noMap) this.view = 'list';
      if (this.noMap || this.lastView) void this.load();
    }
  }

  override updated() {
    if (!this.focusAfterRender) return;
    this.renderRoot.querySelector<HTMLElement>(this.focusAfterRender)?.focus();
    this.focusAfterRender = null;
  }

  override render() {
    const t = this.t;
    const offered = this.offered.split(',').map((s) => s.trim()).filter(Boolean);
    const services = this.catalogue.filter((s) => offered.length === 0 || offered.includes(s.service_code));
    return html`
      <section class="reports" aria-labelledby="reports-title">
        <h2 class="title" id="reports-title">${t.map.title}</h2>
        ${filtersForm(t, this.filters, services, (f) => this.setFilters(f))}
        ${this.noMap ? nothing : html`
          <div class="reports__views" role="group" aria-label=${t.map.views}>
            ${(['map', 'list'] as const).map((v) => html`<button type="button" part="button" class="toggle" aria-pressed=${this.view === v ? 'true' : 'false'}
              @click=${() => this.setView(v)}>${v === 'map' ? t.map.viewMap : t.map.viewList}</button>`)}
          </div>`}
        <p class="reports__summary" role="status" aria-live="polite">${this.summary()}</p>
        ${this.loading === 'failed' ? html`<p class="error" role="alert">${t.map.loadError}
          <button type="button" part="button" class="secondary" @click=${() => this.load()}>${t.map.retry}</button></p>` : nothing}
        ${this.noMap ? nothing : html`<div class="reports__map" ?hidden=${this.view !== 'map'}>${this.map.container}${this.credit()}${this.legend()}</div>`}
        ${this.view === 'list' && this.list ? requestList(t, this.language, this.list, { select: (id) => this.select(id), page: (n) => this.loadList(n) }) : nothing}
        ${this.detailFailed ? html`<p class="error" role="alert">${t.detail.loadError}</p>` : nothing}
        ${this.selected ? requestDetail(t, this.language, this.selected, this.client!.pageUrl(this.selected.service_request_id), { ...this.follow, emailOffered: this.emailUpdates }, {
          close: () => this.closeDetail(),
          email: (value) => (this.follow = { ...this.follow, email: value, error: '' }),
          follow: () => void this.joinSelected(),
        }) : nothing}
      </section>
    `;
  }

  private summary(): string {
    const t = this.t;
    if (this.loading === 'loading') return t.map.loading;
    if (this.loading === 'failed') return '';
    const source = this.view === 'list' && this.list ? null : this.answer;
    if (!source) return this.list ? t.map.count(this.listTotal, this.listEstimated) : '';
    return `${t.map.count(source.total, source.total_estimated === true)}${source.truncated ? ` ${t.map.truncated(source.markers?.length ?? 0)}` : ''}`;
  }

  /** The tiles' credit, as text under the map. */
  private credit() {
    const { text, href } = tilesCredit(this.attribution, this.tileUrl, this.t.location.osmAttribution);
    return text ? html`<p class="map__attribution">${href ? html`<a href=${href}>${text}</a>` : text}</p>` : nothing;
  }

  /** What the markers' shapes and colours mean, and the clusters' numbers. */
  private legend() {
    const t = this.t.mapKey;
    return html`<div class="reports__legend">
      <p class="reports__legend-title" id="legend-title">${t.title}</p>
      <ul aria-labelledby="legend-title">
        ${MARKER_KINDS.map((kind) => html`<li>${shapeTemplate(kind)}<span>${t[kind]}</span></li>`)}
        <li><span class="reports__count reports__count--key" aria-hidden="true">12<span class="reports__badge"></span></span><span>${t.cluster}</span></li>
      </ul>
    </div>`;
  }

  private serviceName(code: string) {
    return this.catalogue.find((s) => s.service_code === code)?.service_name ?? code;
  }

  private setFilters(filters: RequestFilters) {
    this.filters = filters;
    void this.load();
  }

  private setView(view: 'map' | 'list') {
    this.view = view;
    if (view === 'list') void this.loadList(1);
  }

  /** Loads what the view shows: the map's markers or clusters, and the list when it is shown. */
  private async load() {
    if (this.view === 'list' || this.noMap) return this.loadList(1);
    const view = this.lastView;
    if (!view) return;
    this.inFlight?.abort();
    const aborter = (this.inFlight = new AbortController());
    this.loading = 'loading';
    try {
      this.answer = await this.client!.map(view.bbox, view.zoom, this.filters, aborter.signal);
      this.map.show(this.answer);
      this.loading = 'ready';
    } catch (err) {
      if (!aborter.signal.aborted) this.loading = 'failed';
      else if (!(err instanceof DOMException)) throw err;
    }
  }

  private async loadList(page: number) {
    this.inFlight?.abort();
    const aborter = (this.inFlight = new AbortController());
    this.loading = 'loading';
    try {
      const found = await this.client!.list(this.noMap ? null : this.map.view()?.bbox ?? null, this.filters, page, PAGE_SIZE, aborter.signal);
      this.listTotal = found.total;
      this.listEstimated = found.estimated;
      this.list = { requests: found.requests, page, pages: Math.max(1, found.more ? page + 1 : page, Math.ceil(found.total / PAGE_SIZE)) };
      this.loading = 'ready';
    } catch (err) {
      if (!aborter.signal.aborted) this.loading = 'failed';
      else if (!(err instanceof DOMException)) throw err;
    }
  }

  private async select(id: string) {
    this.returnFocus = (this.renderRoot as ShadowRoot).activeElement as HTMLElement | null;
    this.detailFailed = false;
    try {
      const [found] = await this.client!.requests([id]);
      this.selected = found ?? null;
      this.detailFailed = !found;
      this.follow = NO_FOLLOW;
      this.focusAfterRender = '#detail-title';
    } catch {
      this.detailFailed = true;
    }
  }

  private closeDetail() {
    this.selected = null;
    const back = this.returnFocus;
    this.returnFocus = null;
    void this.updateComplete.then(() => back?.isConnected && back.focus());
  }

  private async joinSelected() {
    const r = this.selected;
    if (!r) return;
    const email = this.follow.email.trim();
    if (email && !isEmailAddress(email)) {
      this.follow = { ...this.follow, error: this.t.follow.emailInvalid };
      this.focusAfterRender = '#follow-email';
      return;
    }
    this.follow = { ...this.follow, state: 'sending', error: '' };
    try {
      const { followers, confirmEmail } = await this.client!.follow(r.service_request_id, { deviceId: deviceId(), email: email || undefined, emailUpdates: !!email });
      this.selected = { ...r, extended_attributes: r.extended_attributes && { ...r.extended_attributes, followers } };
      this.follow = { ...this.follow, state: 'done', confirmEmail };
      trackRequest(this.server, this.jurisdiction, r.service_request_id, 'followed');
      this.dispatchEvent(new FollowedEvent({ id: r.service_request_id, followers }));
    } catch {
      this.follow = { ...this.follow, state: 'failed' };
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'georeport-map': GeoReportMap;
  }
}
