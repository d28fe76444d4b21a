import { css } from 'lit';

/** The back office's look: plain, legible, high contrast; themable like the widget (`--georeport-accent`). */
export const adminStyles = css`
  :host { display: block; font-family: var(--georeport-font, system-ui, sans-serif); color: #1b1b1b; line-height: 1.5; --_accent: var(--georeport-accent, #0b5cad); }
  *, *::before, *::after { box-sizing: border-box; }
  h1 { font-size: 1.5em; margin: 0.2em 0 0.6em; }
  h1:focus { outline: none; }
  h2 { font-size: 1.2em; margin: 1.2em 0 0.4em; }
  label, legend { font-weight: 600; }
  fieldset { border: 1px solid #c6c6c6; border-radius: 4px; padding: 0.5em 1em; margin: 1em 0; }
  .field { display: flex; flex-direction: column; margin: 0.6em 0; max-width: 40em; }
  .row { display: flex; flex-wrap: wrap; gap: 0.5em 1em; align-items: flex-end; }
  .check { display: flex; gap: 0.5em; align-items: center; font-weight: normal; margin: 0.4em 0; }
  input, select, textarea { font: inherit; padding: 0.45em; border: 1px solid #767676; border-radius: 4px; }
  textarea { min-height: 5em; }
  button, a.button {
    font: inherit; padding: 0.45em 1em; border-radius: 4px; border: 2px solid var(--_accent); background: var(--_accent); color: #fff;
    cursor: pointer; min-height: 40px; text-decoration: none; display: inline-block;
  }
  button.secondary, a.button.secondary { background: #fff; color: var(--_accent); }
  button[aria-pressed='true'] { background: var(--_accent); color: #fff; }
  button:disabled { border-color: #8a8a8a; color: #5c5c5c; background: #f0f0f0; cursor: not-allowed; }
  :focus-visible { outline: 3px solid var(--_accent); outline-offset: 2px; }
  table { border-collapse: collapse; width: 100%; margin: 0.5em 0; }
  caption { text-align: start; font-weight: 600; padding: 0.3em 0; }
  th, td { text-align: start; padding: 0.35em 0.5em; border-bottom: 1px solid #ddd; vertical-align: top; overflow-wrap: break-word; }
  table.compact { width: auto; min-width: 24em; }
  th { background: #f2f4f7; }
  .error { color: #b3261e; font-weight: 600; }
  .notice { background: #eef4fb; padding: 0.5em 0.8em; border-radius: 4px; }
  .muted { color: #555; }
  .pre { white-space: pre-line; }
  .history li { margin: 0.3em 0; }
  .choice { display: grid; grid-template-columns: auto 1fr; gap: 0 0.5em; align-items: baseline; margin: 0.4em 0; }
  .choice .muted { grid-column: 2; }
  ul.plain { list-style: none; padding: 0; margin: 0 0 0.3em; }
  .scroll { overflow-x: auto; }
  /* A form in a row of a table wider than a phone: kept in view while the table scrolls under it. */
  .scroll .editor { position: sticky; inset-inline-start: 0; max-width: calc(100vw - 2.5em); }
  .photos { display: flex; flex-wrap: wrap; gap: 0.75em; list-style: none; padding: 0; }
  .photos img { max-width: 180px; max-height: 180px; border-radius: 4px; display: block; }
`;
