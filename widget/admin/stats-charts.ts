import { html, svg, type TemplateResult } from 'lit';

/**
 * The statistics' charts: small inline SVG, no library (Chart.js for bars alone is 50.8 kB gzip, uPlot
 * 23.0 kB, against about 2 kB here), and nothing that the back office's strict policy blocks: sizes are
 * SVG attributes (a bar's width) or fixed classes, never a `style` attribute. Every chart is hidden from
 * assistive technologies (`aria-hidden`) beside a table that says the same; no chart tells by colour
 * alone (filled against outlined bars, values written out).
 */

/** One week of the trend. */
export interface WeekFigures {
  week: string;
  first_day: string;
  last_day: string;
  filed: number;
  closed: number;
  partial: boolean;
}

/** The smallest round number (1, 2, 2.5 or 5 × 10ⁿ, whole) at least `max` / 4, times 4: the axis' top, in four steps. */
export function axisTop(max: number): number {
  const rough = Math.max(1, max) / 4;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= rough && Number.isInteger(s)) ?? Math.ceil(rough);
  return step * 4;
}

/** How many week labels to skip between two shown, so that they stay legible on a phone. */
const labelEvery = (weeks: number) => (weeks <= 8 ? 1 : weeks <= 16 ? 2 : weeks <= 35 ? 4 : 8);

/**
 * Filed (filled) and closed (outlined) bars per week, with a value axis in four steps and the weeks' first
 * days under them (`day` formats a date). A week only partly in the period is drawn pale.
 */
export function weeklyChart(weeks: WeekFigures[], day: (date: string) => string, number: (n: number) => string): TemplateResult {
  const top = axisTop(Math.max(...weeks.flatMap((w) => [w.filed, w.closed])));
  const slot = 100 / weeks.length;
  const height = (n: number) => (n / top) * 100;
  const every = labelEvery(weeks.length);
  return html`<div class="chart weekly" aria-hidden="true">
    <div class="axis">${[4, 3, 2, 1, 0].map((i) => html`<span>${number((top * i) / 4)}</span>`)}</div>
    <svg class="plot" viewBox="0 0 100 100" preserveAspectRatio="none" focusable="false">
      ${[1, 2, 3].map((i) => svg`<line class="grid" x1="0" x2="100" y1=${i * 25} y2=${i * 25}></line>`)}
      ${weeks.map((w, i) => svg`<g class=${w.partial ? 'partial' : ''}>
        <rect class="filed" x=${i * slot + slot * 0.12} width=${slot * 0.36} y=${100 - height(w.filed)} height=${height(w.filed)}></rect>
        <rect class="closed" x=${i * slot + slot * 0.52} width=${slot * 0.36} y=${100 - height(w.closed)} height=${height(w.closed)}></rect></g>`)}
      <line class="base" x1="0" x2="100" y1="100" y2="100"></line>
    </svg>
    <div class="weeks">${weeks.map((w, i) => html`<span>${i % every === 0 ? day(w.first_day) : ''}</span>`)}</div>
  </div>`;
}

/** The key of the weekly chart: a filled and an outlined swatch with their words. */
export function weeklyKey(filed: string, closed: string): TemplateResult {
  const swatch = (kind: string) => html`<svg class="swatch" viewBox="0 0 14 14" aria-hidden="true" focusable="false"><rect class=${kind} x="1" y="1" width="12" height="12"></rect></svg>`;
  return html`<p class="key">${swatch('filed')} ${filed} ${swatch('closed')} ${closed}</p>`;
}

/** A horizontal bar for a table's cell: `value` out of `max`. */
export function bar(value: number, max: number): TemplateResult {
  return html`<svg class="bar" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true" focusable="false">
    <rect class="track" x="0" y="1" width="100" height="8"></rect><rect class="value" x="0" y="1" width=${max > 0 ? (value / max) * 100 : 0} height="8"></rect></svg>`;
}

/** A bar to the median and a line on to the 90th percentile, out of `max`. */
export function spread(median: number, p90: number, max: number): TemplateResult {
  const x = (v: number) => (max > 0 ? (v / max) * 100 : 0);
  return html`<svg class="bar" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true" focusable="false">
    <rect class="value" x="0" y="2" width=${x(median)} height="6"></rect>
    <line class="whisker" x1=${x(median)} x2=${x(p90)} y1="5" y2="5"></line><line class="whisker" x1=${x(p90)} x2=${x(p90)} y1="1" y2="9"></line></svg>`;
}
