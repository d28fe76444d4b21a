import { css } from 'lit';

/**
 * The location step's map and address suggestions (Leaflet's own sheet is adopted before this one when
 * the map first loads: `adoptLeafletStyles`). `--georeport-map-height` sets the map's height.
 */
export const mapStyles = css`
  .map {
    margin: 1em 0;
  }
  .map__actions {
    margin: 0 0 0.5em;
  }
  .map__canvas {
    height: var(--georeport-map-height, 320px);
    border: 1px solid #767676;
    border-radius: 4px;
    /* Leaflet's panes stack up to z-index 1000: keep them under the page's own overlays. */
    position: relative;
    z-index: 0;
    font: inherit;
  }
  .map__canvas:focus-visible {
    outline: 3px solid var(--_accent);
    outline-offset: 2px;
  }
  .map__pin {
    color: var(--_accent);
  }
  .map__pin svg {
    display: block;
    filter: drop-shadow(0 1px 1px rgb(0 0 0 / 0.4));
  }
  .map__attribution {
    margin: 0.2em 0 0;
    font-size: 0.85em;
    color: var(--georeport-muted, #555);
  }
  .map__attribution a {
    color: inherit;
  }
  .suggestions {
    margin: 0.4em 0 0;
  }
  .suggestions__title {
    margin: 0 0 0.2em;
    font-weight: 600;
  }
  .suggestions__list {
    list-style: none;
    margin: 0;
    padding: 0;
    border: 1px solid #767676;
    border-radius: 4px;
  }
  .suggestions__list li + li {
    border-top: 1px solid #ddd;
  }
  button.suggestion {
    display: block;
    width: 100%;
    text-align: start;
    background: transparent;
    color: inherit;
    border: 0;
    border-radius: 0;
    padding: 0.5em 0.75em;
  }
  button.suggestion:hover,
  button.suggestion:focus-visible {
    background: var(--georeport-notice, #eef4fb);
  }
  button.suggestion:focus-visible {
    outline-offset: -3px;
  }
  /* Leaflet's zoom buttons are 30 px on touch screens: 44 px, like every other target. */
  .leaflet-touch .leaflet-bar a {
    width: 44px;
    height: 44px;
    line-height: 44px;
  }
`;
