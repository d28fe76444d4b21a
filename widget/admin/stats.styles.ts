import { css } from 'lit';

/**
 * The statistics page: key figures, panels side by side on a wide screen (one column on a phone), and
 * the charts' look. Filed bars are filled with the accent, closed ones outlined in a dark orange (both
 * 4.5:1 or more on white); strokes keep their width however a chart is stretched.
 */
export const statsStyles = css`
  .period { display: flex; flex-wrap: wrap; gap: 0.5em 1em; align-items: flex-end; }
  .period .field { margin: 0; }
  .quick { display: flex; flex-wrap: wrap; gap: 0.25em 1em; margin: 0.6em 0 0; padding: 0; list-style: none; }
  .quick a { color: var(--_accent); }
  .kpis { display: grid; grid-template-columns: repeat(auto-fit, minmax(13em, 1fr)); gap: 0.75em; margin: 1em 0; }
  .kpis > div { border: 1px solid #c6c6c6; border-radius: 6px; padding: 0.6em 0.9em; }
  .kpis dt { font-weight: 600; }
  .kpis dd { margin: 0; }
  .kpis .big { font-size: 1.9em; font-weight: 700; line-height: 1.2; }
  .panels { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 32em), 1fr)); gap: 0 2em; }
  .panels section { min-width: 0; }
  .help { color: #555; font-size: 0.9em; margin: 0.2em 0 0.5em; }
  table.figures { width: 100%; }
  table.figures td, table.figures th { padding: 0.3em 0.45em; }
  .num { text-align: end; font-variant-numeric: tabular-nums; white-space: nowrap; }
  th.num { white-space: normal; }
  td.num:has(svg.bar) { min-width: 6em; }
  table.figures tbody th { background: none; }
  /* A phone (down to 320 px): tighter tables, so five columns fit without scrolling sideways. */
  @media (max-width: 40em) {
    table.figures { font-size: 0.85em; }
    table.figures td, table.figures th { padding: 0.3em 0.15em; }
    td.num:has(svg.bar) { min-width: 2.5em; }
  }
  svg.bar { display: block; width: 100%; height: 0.9em; }
  .track { fill: #e8ebef; }
  .value, .filed { fill: var(--_accent); }
  .closed { fill: #fdebd7; stroke: #9a4700; stroke-width: 2px; vector-effect: non-scaling-stroke; }
  .whisker { stroke: #1b1b1b; stroke-width: 2px; vector-effect: non-scaling-stroke; }
  .partial { opacity: 0.45; }
  .chart.weekly { display: grid; grid-template-columns: auto 1fr; grid-template-rows: 14em auto; gap: 0.2em 0.4em; margin: 0.5em 0; }
  .chart .axis { display: flex; flex-direction: column; justify-content: space-between; text-align: end; font-size: 0.8em; color: #444; margin: -0.6em 0; }
  .chart .plot { width: 100%; height: 100%; overflow: visible; }
  .grid { stroke: #d5d9de; stroke-width: 1px; vector-effect: non-scaling-stroke; }
  .base { stroke: #555; stroke-width: 1px; vector-effect: non-scaling-stroke; }
  .chart .weeks { grid-column: 2; display: flex; font-size: 0.8em; color: #444; }
  .chart .weeks span { flex: 1 1 0; min-width: 0; white-space: nowrap; overflow: visible; }
  .key { display: flex; flex-wrap: wrap; align-items: center; gap: 0.3em; margin: 0.3em 0; }
  .key .swatch { width: 1em; height: 1em; }
  .key .swatch + .swatch, .key .swatch:not(:first-child) { margin-inline-start: 0.8em; }
  details { margin: 0.4em 0 1em; }
  summary { cursor: pointer; color: var(--_accent); font-weight: 600; }
`;
