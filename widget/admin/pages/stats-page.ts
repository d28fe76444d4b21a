import { css, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { AdminPage } from '../admin-page.ts';
import { adminStyles } from '../admin.styles.ts';
import { bar, spread, weeklyChart, weeklyKey, type WeekFigures } from '../stats-charts.ts';
import { statsStyles } from '../stats.styles.ts';
import { dateFormat, numberFormat } from '../formats.ts';

interface TimeToClose { closed: number; median_hours: number | null; p90_hours: number | null }
interface Sla { on_time: number; late: number; not_yet_due: number; without_sla: number; on_time_share: number | null }
interface Group { total: number; open: number; time_to_close: TimeToClose; sla: Sla }
interface Row extends Group { label: string }

/** What `GET …/stats` answers (see server/admin/stats.store.ts). */
interface Stats {
  period: { from: string; to: string; first_day: string; last_day: string; time_zone: string; as_of: string };
  total: number;
  pending: number;
  by_detailed_status: Record<string, number>;
  by_channel: Record<string, number>;
  time_to_close: TimeToClose;
  sla: Sla;
  by_category: (Group & { service_code: string; service_name: string })[];
  by_department: (Group & { department_id: string | null; name: string | null })[];
  weeks: WeekFigures[];
  places: { streets: { street: string; count: number }[]; without_address: number; elsewhere: number };
  heat: { lat: number; long: number; count: number }[];
}

/** A period in the page's address: `#/stats/2026-05-01--2026-05-31` (ISO 8601's interval with its double hyphen). */
const PERIOD = /^(\d{4}-\d{2}-\d{2})--(\d{4}-\d{2}-\d{2})$/;
const DAY_MS = 86_400_000;
/** A plain date `days` away from `date`. */
const shift = (date: string, days: number) => new Date(Date.parse(date) + days * DAY_MS).toISOString().slice(0, 10);

/**
 * The statistics of a period a manager reads at a glance: key figures, then charts each beside the table
 * that says the same (the charts are hidden from screen readers, the tables are the way to the figures):
 * filed and closed per week, the share closed on time and the time to close by category and department,
 * the streets most reported, statuses and channels, and a heat map. The period is in the page's address
 * (`period`, set by the shell from `#/stats/FROM--TO`; empty: the last 30 days), so it survives a reload
 * and the back button; the CSV has the same period, a row per day.
 */
export class AdminStatsPage extends AdminPage {
  static override styles = css`${adminStyles}${statsStyles}`;
  static override properties = { ...AdminPage.properties, period: { type: String }, stats: { state: true } };
  /** `FROM--TO` (the town's dates), or empty for the default period. */
  declare period: string;
  declare stats: Stats | null;
  /** Which load the page waits for: an answer to an older period is dropped. */
  private asked = 0;

  constructor() {
    super();
    this.period = '';
    this.stats = null;
  }

  override willUpdate(changed: PropertyValues<this>) {
    if ((changed.has('jurisdiction') || changed.has('period')) && this.jurisdiction) void this.load();
  }

  /** The API's query for the period asked (`?from&to`), or none for the default. */
  private query(from?: string, to?: string) {
    const [, first, last] = PERIOD.exec(this.period) ?? [];
    from ??= first;
    to ??= last;
    return from && to ? `?${new URLSearchParams({ from, to })}` : '';
  }

  private async load() {
    const asked = ++this.asked;
    this.stats = null;
    const stats = await this.run(() => this.api.get<Stats>(this.path(`stats${this.query()}`)), '');
    if (asked === this.asked) this.stats = stats ?? null;
  }

  protected override heading() {
    return this.t.stats.title;
  }

  protected override body() {
    const s = this.stats;
    if (!s) return this.message ? nothing : html`<p>${this.t.loading}</p>`;
    const t = this.t.stats;
    return html`
      ${this.periodForm(s)}
      ${s.total === 0 ? html`<p class="notice">${t.none}</p>` : html`
        ${this.keyFigures(s)}
        <div class="panels">
          ${this.weekly(s)}
          ${this.slaPanel('sla-category', t.slaByCategory, t.category, this.byCategory(s), t.slaHelp)}
          ${this.slaPanel('sla-department', t.slaByDepartment, t.department, this.byDepartment(s))}
          ${this.closePanel('close-category', t.closeByCategory, t.category, this.byCategory(s), t.closeHelp)}
          ${this.closePanel('close-department', t.closeByDepartment, t.department, this.byDepartment(s))}
          ${this.places(s)}
          ${this.counts('by-status', t.byStatus, t.status, s.by_detailed_status, (k) => this.t.statuses[k] ?? k)}
          ${this.counts('by-channel', t.byChannel, t.channel, s.by_channel, (k) => this.t.channels[k] ?? k)}
        </div>
        <section aria-labelledby="heat">
          <h2 id="heat">${t.heat}</h2>
          <georeport-admin-map .tiles=${this.tiles} label=${t.heatLabel}
            .points=${s.heat.map((h) => ({ lat: h.lat, long: h.long, weight: h.count, title: t.heatCell(h.count) }))}></georeport-admin-map>
        </section>`}`;
  }

  /** The period shown, its form, the quick periods (from the town's today) and the CSV of the same. */
  private periodForm(s: Stats) {
    const t = this.t.stats;
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: s.period.time_zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(s.period.as_of));
    const weekday = (new Date(Date.parse(today)).getUTCDay() + 6) % 7; // Monday 0
    const monthsAgo = new Date(Date.parse(today));
    monthsAgo.setUTCDate(1);
    monthsAgo.setUTCMonth(monthsAgo.getUTCMonth() - 11);
    const quick: [string, string][] = [
      [t.last30, shift(today, -29)], [t.last12Weeks, shift(today, -weekday - 77)], [t.last12Months, monthsAgo.toISOString().slice(0, 10)],
    ];
    const zone = s.period.time_zone.split('/').pop()!.replace(/_/g, ' ');
    return html`
      <form class="period" @submit=${this.show}>
        <div class="field"><label for="from">${t.from}</label><input id="from" name="from" type="date" required .value=${s.period.first_day} /></div>
        <div class="field"><label for="to">${t.to}</label><input id="to" name="to" type="date" required .value=${s.period.last_day} /></div>
        <button type="submit">${t.show}</button>
        <a class="button secondary" href=${`/admin/api/${this.path(`stats.csv${this.query(s.period.first_day, s.period.last_day)}`)}`} download>${t.csv}</a>
      </form>
      <nav aria-label=${t.quick}><ul class="quick">${quick.map(([label, from]) => html`<li><a href=${`#/stats/${from}--${today}`}>${label}</a></li>`)}</ul></nav>
      <p class="muted">${t.period(this.date(s.period.first_day), this.date(s.period.last_day), zone)}</p>`;
  }

  private keyFigures(s: Stats) {
    const t = this.t.stats;
    const open = s.by_category.reduce((n, c) => n + c.open, 0);
    const decided = s.sla.on_time + s.sla.late;
    return html`<dl class="kpis">
        <div><dt>${t.filed}</dt><dd class="big">${this.number(s.total)}</dd>
          <dd>${t.stillOpen(open)}${s.pending ? html`; ${t.pending(s.pending)}` : nothing}</dd></div>
        <div><dt>${t.medianClose}</dt><dd class="big">${this.duration(s.time_to_close.median_hours)}</dd>
          <dd>${s.time_to_close.p90_hours === null ? nothing : t.p90(this.duration(s.time_to_close.p90_hours))}</dd></div>
        <div><dt>${t.onTime}</dt><dd class="big">${this.percent(s.sla.on_time_share)}</dd>
          <dd>${decided ? t.onTimeOf(s.sla.on_time, decided) : nothing}</dd></div>
      </dl>`;
  }

  private weekly(s: Stats) {
    const t = this.t.stats;
    const short = new Intl.DateTimeFormat(this.t.locale, { day: 'numeric', month: 'short', timeZone: 'UTC' });
    const day = (date: string) => short.format(Date.parse(date));
    const sum = (k: 'filed' | 'closed') => s.weeks.reduce((n, w) => n + w[k], 0);
    return html`<section aria-labelledby="weekly">
      <h2 id="weekly">${t.weekly}</h2>
      <p>${t.weeklySummary(sum('filed'), sum('closed'))}</p>
      ${weeklyKey(t.filedKey, t.closedKey)}
      ${weeklyChart(s.weeks, day, (n) => this.number(n))}
      <p class="help">${t.weeklyHelp}</p>
      <details><summary>${t.figures}</summary>
        ${this.table('weekly', [t.week, t.filedKey, t.closedKey, t.backlog], s.weeks.map((w) => html`<tr>
          <th scope="row">${t.weekOf(day(w.first_day), day(w.last_day))}${w.partial ? html` <span class="muted">${t.partial}</span>` : nothing}</th>
          <td class="num">${this.number(w.filed)}</td><td class="num">${this.number(w.closed)}</td><td class="num">${this.number(w.filed - w.closed)}</td></tr>`))}
      </details>
    </section>`;
  }

  private byCategory(s: Stats): Row[] {
    return s.by_category.map((c) => ({ ...c, label: c.service_name }));
  }

  private byDepartment(s: Stats): Row[] {
    return s.by_department.map((d) => ({ ...d, label: d.name ?? this.t.stats.noDepartment }));
  }

  /** The share on time of each row that has an SLA, as a bar out of 100 %. */
  private slaPanel(id: string, title: string, first: string, rows: Row[], help?: string) {
    const t = this.t.stats;
    const shown = rows.filter((r) => r.sla.on_time + r.sla.late + r.sla.not_yet_due > 0);
    return this.panel(id, title, help, [first, t.share, t.onTimeCount, t.late, t.notYetDue], shown.map((r) => html`<tr>
      <th scope="row">${r.label}</th>
      <td class="num">${this.percent(r.sla.on_time_share)}${bar(r.sla.on_time_share ?? 0, 1)}</td>
      <td class="num">${this.number(r.sla.on_time)}</td><td class="num">${this.number(r.sla.late)}</td><td class="num">${this.number(r.sla.not_yet_due)}</td></tr>`));
  }

  /** The median and 90th percentile of each row with closed requests, on one scale. */
  private closePanel(id: string, title: string, first: string, rows: Row[], help?: string) {
    const t = this.t.stats;
    const shown = rows.filter((r) => r.time_to_close.closed > 0);
    const max = Math.max(0, ...shown.map((r) => r.time_to_close.p90_hours ?? 0));
    return this.panel(id, title, help, [first, t.closed, t.median, t.ninety], shown.map((r) => html`<tr>
      <th scope="row">${r.label}</th><td class="num">${this.number(r.time_to_close.closed)}</td>
      <td class="num">${this.duration(r.time_to_close.median_hours)}${spread(r.time_to_close.median_hours ?? 0, r.time_to_close.p90_hours ?? 0, max)}</td>
      <td class="num">${this.duration(r.time_to_close.p90_hours)}</td></tr>`));
  }

  private places(s: Stats) {
    const t = this.t.stats;
    const max = s.places.streets[0]?.count ?? 0;
    return this.panel('places', t.places, t.placesHelp(s.places.without_address, s.places.elsewhere), [t.place, t.count], s.places.streets.map((p) => html`<tr>
      <th scope="row">${p.street}</th><td class="num">${this.number(p.count)}${bar(p.count, max)}</td></tr>`));
  }

  private counts(id: string, title: string, column: string, counts: Record<string, number>, label: (key: string) => string) {
    const entries = Object.entries(counts);
    const max = Math.max(0, ...entries.map(([, n]) => n));
    return this.panel(id, title, undefined, [column, this.t.stats.count], entries.map(([k, n]) => html`<tr>
      <th scope="row">${label(k)}</th><td class="num">${this.number(n)}${bar(n, max)}</td></tr>`));
  }

  /** A titled panel: its heading, what it counts, and its table (bars drawn in the cells, beside the numbers). */
  private panel(id: string, title: string, help: string | undefined, heads: string[], rows: TemplateResult[]) {
    return html`<section aria-labelledby=${id}>
      <h2 id=${id}>${title}</h2>
      ${help ? html`<p class="help">${help}</p>` : nothing}
      ${this.table(id, heads, rows)}
    </section>`;
  }

  private table(id: string, heads: string[], rows: TemplateResult[]) {
    return html`<table class="figures" aria-labelledby=${id}>
      <thead><tr>${heads.map((h, i) => html`<th scope="col" class=${i ? 'num' : ''}>${h}</th>`)}</tr></thead><tbody>${rows}</tbody></table>`;
  }

  private number(n: number) {
    return numberFormat(this.t.locale).format(n);
  }

  private percent(share: number | null) {
    return share === null ? '—' : numberFormat(this.t.locale, { style: 'percent' }).format(share);
  }

  /** Hours up to two days, days beyond, one decimal at most. */
  private duration(hours: number | null) {
    if (hours === null) return '—';
    const one = numberFormat(this.t.locale, { maximumFractionDigits: 1 });
    return hours < 48 ? this.t.stats.hours(one.format(hours)) : this.t.stats.days(one.format(hours / 24));
  }

  private date(date: string) {
    return dateFormat(this.t.locale, { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(Date.parse(date));
  }

  private show = (e: Event) => {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    location.hash = `#/stats/${this.value(form, 'from')}--${this.value(form, 'to')}`;
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'georeport-admin-stats': AdminStatsPage;
  }
}
