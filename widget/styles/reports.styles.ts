import { css } from 'lit';

/**
 * The public map, its list twin and the detail view (after `formStyles`). Markers carry their status in
 * shape, colour and accessible name; the colours keep 3:1 against light map tiles, and a white outline
 * with a shadow against dark ones.
 */
export const reportsStyles = css`
  select { font: inherit; padding: 0.45em; border: 1px solid #767676; border-radius: 4px; min-height: 44px; }
  .reports__filters { display: flex; flex-wrap: wrap; gap: 0 1em; margin: 0.5em 0; }
  .reports__filters legend { margin-bottom: 0.25em; }
  .reports__filters .field { margin: 0.25em 0; display: flex; flex-direction: column; }
  .reports__views { display: flex; gap: 0.5em; margin: 0.5em 0; }
  button.toggle { background: transparent; color: var(--_accent); }
  button.toggle[aria-pressed='true'] { background: var(--_accent); color: var(--georeport-accent-text, #fff); }
  .reports__summary { margin: 0.5em 0; }
  .reports__canvas {
    height: var(--georeport-map-height, 320px); border: 1px solid #767676; border-radius: 4px;
    position: relative; z-index: 0; font: inherit;
  }
  .reports__canvas:focus-visible { outline: 3px solid var(--_accent); outline-offset: 2px; }
  /* Markers and clusters are sized here (Leaflet is given no size) and centred on their point; larger
     where fingers point. Shapes as well as colours tell open, fixed and closed apart (see icons.ts). */
  .reports__marker, .reports__cluster { translate: -50% -50%; }
  .reports__marker { width: 26px; height: 26px; }
  .reports__marker svg { display: block; width: 100%; height: 100%; filter: drop-shadow(0 1px 1px rgb(0 0 0 / 0.6)); }
  .reports__shape--open { color: #b45309; }
  .reports__shape--fixed { color: #15803d; }
  .reports__shape--closed { color: #4b5563; }
  .reports__cluster { display: flex; }
  .reports__cluster--s { width: 32px; height: 32px; }
  .reports__cluster--m { width: 38px; height: 38px; }
  .reports__cluster--l { width: 46px; height: 46px; }
  .reports__cluster--xl { width: 54px; height: 54px; }
  @media (pointer: coarse) {
    /* Leaflet's zoom buttons, on both maps (this sheet follows the form's too): 44 px for a finger. */
    .leaflet-touch .leaflet-bar a { width: 44px; height: 44px; line-height: 44px; }
    .reports__marker { width: 36px; height: 36px; }
    .reports__cluster--s { width: 40px; height: 40px; }
    .reports__cluster--m { width: 46px; height: 46px; }
    .reports__cluster--l { width: 54px; height: 54px; }
    .reports__cluster--xl { width: 62px; height: 62px; }
  }
  .reports__count {
    position: relative; display: flex; align-items: center; justify-content: center; width: 100%; height: 100%;
    border-radius: 50%; background: #334155; color: #fff; font-weight: 700; border: 2px solid #fff;
    box-shadow: 0 1px 3px rgb(0 0 0 / 0.5); box-sizing: border-box;
  }
  .reports__badge {
    position: absolute; top: -5px; inset-inline-end: -5px; width: 16px; height: 16px; box-sizing: border-box;
    border-radius: 50%; border: 2px solid #fff; background: radial-gradient(circle, #fff 0 2.5px, #b45309 3px);
  }
  .reports__legend { margin: 0.5em 0; font-size: 0.95em; }
  .reports__legend-title { margin: 0 0 0.25em; font-weight: 600; }
  .reports__legend ul { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: 0.35em 1.25em; }
  .reports__legend li { display: flex; align-items: center; gap: 0.5em; }
  .reports__shape { flex: none; width: 24px; height: 24px; }
  .reports__count--key { flex: none; width: 30px; height: 30px; margin-top: 5px; margin-inline-end: 5px; font-size: 0.85em; }
  .leaflet-marker-icon:focus-visible { outline: 3px solid #1b1b1b; outline-offset: 2px; border-radius: 50%; }
  .reports__list { list-style: none; padding: 0; margin: 0.5em 0; }
  .reports__list li + li { margin-top: 0.4em; }
  button.reports__item {
    display: grid; gap: 0.1em 0.75em; grid-template-columns: 1fr auto; width: 100%; text-align: start;
    background: transparent; color: inherit; border: 1px solid #767676;
  }
  .reports__item-title { font-weight: 600; }
  .reports__item-address, .reports__item-date { grid-column: 1 / -1; color: var(--georeport-muted, #555); }
  .reports__pages { display: flex; gap: 0.75em; align-items: center; justify-content: space-between; }
  .status { display: inline-block; padding: 0 0.5em; border-radius: 1em; font-weight: 600; }
  .status--open { background: #fdecd7; color: #7c2d12; }
  .status--closed { background: #dcfce7; color: #14532d; }
  .detail { margin: 1em 0; padding: 0.75em 1em; border: 2px solid var(--_accent); border-radius: 6px; }
  .detail h3:focus { outline: none; }
  .detail__facts { display: grid; grid-template-columns: auto 1fr; gap: 0.2em 1em; }
  .detail__facts dt { font-weight: 600; }
  .detail__facts dd { margin: 0; overflow-wrap: anywhere; }
  .detail__description, .detail__event-note { white-space: pre-line; overflow-wrap: anywhere; }
  .detail__event-note { display: block; padding-inline-start: 1em; }
  .detail__photos { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 0.5em; }
  .detail__photos img { max-width: 160px; max-height: 160px; border-radius: 4px; }
  .duplicates { margin: 1em 0; padding: 0.75em 1em; background: var(--georeport-notice, #eef4fb); border-radius: 6px; }
  .duplicates h4:focus { outline: none; }
  .duplicates ul { list-style: none; padding: 0; }
  .duplicates li { padding: 0.5em 0; border-top: 1px solid #c8d3e0; }
  .mine { list-style: none; padding: 0; }
  .mine li { padding: 0.5em 0; border-bottom: 1px solid #ddd; overflow-wrap: anywhere; }
  /* Links to a request's page (after sending, "my reports", the detail): a whole line to tap. */
  a { color: var(--_accent); text-underline-offset: 0.15em; }
  a.mine__link, a.result__page, a.detail__page { display: inline-flex; align-items: center; min-height: 44px; font-weight: 600; }
  .mine__title { display: block; padding: 0.5em 0; }
  .mine__line { margin: 0.15em 0; }
  .status--pending { background: #e0e7ff; color: #1e3a8a; }
  [hidden] { display: none !important; }
`;
