import { html, type PropertyValues, type TemplateResult } from 'lit';
import { AdminPage } from '../admin-page.ts';

interface Stats {
  total: number;
  median_hours_to_close: number | null;
  by_status: Record<string, number>;
  by_detailed_status: Record<string, number>;
  by_channel: Record<string, number>;
  by_department: Record<string, number>;
  by_day: { date: string; count: number }[];
  by_service: { service_code: string; service_name: string; count: number; open: number; median_hours_to_close: number | null; closed_within_sla: number | null }[];
  heat: { lat: number; long: number; count: number }[];
}

const day = (d: Date) => d.toISOString().slice(0, 10);

/**
 * The statistics of a period (the last 30 days by default): totals by status, channel, department and
 * category (with the median time to close and the share closed within the SLA), per day, and the busiest
 * places; the same as a CSV table to download.
 */
export class AdminStatsPage extends AdminPage {
  static override properties = { ...AdminPage.properties, stats: { state: true }, from: { state: true }, to: { state: true } };
  declare stats: Stats | null;
  declare from: string;
  declare to: string;

  constructor() {
    super();
    this.stats = null;
    const now = new Date();
    this.to = day(now);
    this.from = day(new Date(now.getTime() - 30 * 86_400_000));
  }

  override willUpdate(changed: PropertyValues<this>) {
    if (changed.has('jurisdiction') && this.jurisdiction) void this.load();
  }

  /** The period as the API takes it: from the first day's start to the last day's end, in UTC. */
  private query() {
    return new URLSearchParams({ from: `${this.from}T00:00:00Z`, to: `${this.to}T23:59:59Z` }).toString();
  }

  private async load() {
    this.stats = (await this.run(() => this.api.get<Stats>(this.path(`stats?${this.query()}`)), '')) ?? null;
  }

  protected override heading() {
    return this.t.stats.title;
  }

  protected override body() {
    const t = this.t.stats;
    const s = this.stats;
    return html`
      <form class="row" @submit=${this.show}>
        <div class="field"><label for="from">${t.from}</label><input id="from" name="from" type="date" required .value=${this.from} /></div>
        <div class="field"><label for="to">${t.to}</label><input id="to" name="to" type="date" required .value=${this.to} /></div>
        <button type="submit">${t.show}</button>
        <a class="button" href=${`/admin/api/${this.path(`stats.csv?${this.query()}`)}`} download>${t.csv}</a>
      </form>
      ${!s ? html`<p>${this.t.loading}</p>` : html`
        <p><strong>${t.total(s.total)}</strong> · ${t.medianClose} : ${t.hours(s.median_hours_to_close)}</p>
        ${this.counts(t.byStatus, this.t.requests.status, s.by_detailed_status, (k) => this.t.statuses[k] ?? k)}
        ${this.counts(t.byChannel, this.t.requests.channel, s.by_channel, (k) => this.t.channels[k] ?? k)}
        ${this.counts(t.byDepartment, t.department, s.by_department, (k) => (k === '(none)' ? t.noDepartment : k))}
        ${this.table(t.byService, [this.t.requests.service, t.count, t.open, t.medianClose, t.withinSla], s.by_service.map((r) => html`<tr>
          <th scope="row">${r.service_name}</th><td>${r.count}</td><td>${r.open}</td><td>${t.hours(r.median_hours_to_close)}</td>
          <td>${r.closed_within_sla === null ? '—' : `${Math.round(r.closed_within_sla * 100)} %`}</td></tr>`))}
        ${this.table(t.byDay, [t.day, t.count], s.by_day.map((d) => html`<tr><th scope="row">${d.date}</th><td>${d.count}</td></tr>`))}
        <h2>${t.heat}</h2>
        <georeport-admin-map .tiles=${this.tiles} label=${t.heat}
          .points=${s.heat.map((h) => ({ lat: h.lat, long: h.long, weight: h.count, title: t.total(h.count) }))}></georeport-admin-map>
        ${this.table(t.heatTable, [t.place, t.count], [...s.heat].sort((a, b) => b.count - a.count).slice(0, 20).map((h) => html`<tr>
          <th scope="row">${h.lat.toFixed(4)}, ${h.long.toFixed(4)}</th><td>${h.count}</td></tr>`))}`}
    `;
  }

  private counts(title: string, column: string, counts: Record<string, number>, label: (k: string) => string) {
    const rows = Object.entries(counts).sort((a, b) => b[1] - a[1]);
    return this.table(title, [column, this.t.stats.count], rows.map(([k, n]) => html`<tr><th scope="row">${label(k)}</th><td>${n}</td></tr>`));
  }

  private table(caption: string, heads: string[], rows: TemplateResult[]) {
    return html`<table class="compact"><caption>${caption}</caption>
      <thead><tr>${heads.map((h) => html`<th scope="col">${h}</th>`)}</tr></thead><tbody>${rows}</tbody></table>`;
  }

  private show = (e: Event) => {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    [this.from, this.to] = [this.value(form, 'from'), this.value(form, 'to')];
    void this.load();
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'georeport-admin-stats': AdminStatsPage;
  }
}
