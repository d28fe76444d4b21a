import { css } from 'lit';

/** The form's look. Sites theme it through the `--georeport-*` custom properties and the `part`s. */
export const formStyles = css`
  :host {
    display: block;
    font-family: var(--georeport-font, system-ui, sans-serif);
    color: var(--georeport-text, #1b1b1b);
    background: var(--georeport-background, #fff);
    line-height: 1.5;
    --_accent: var(--georeport-accent, #0b5cad);
  }
  *, *::before, *::after { box-sizing: border-box; }
  .title { font-size: 1.4em; margin: 0 0 0.25em; }
  h3 { font-size: 1.15em; margin: 0.5em 0; }
  h3:focus, .title:focus { outline: none; }
  .progress { margin: 0; color: var(--georeport-muted, #555); }
  .field { margin: 1em 0; border: 0; padding: 0; }
  fieldset { border: 0; padding: 0; margin: 1em 0; min-inline-size: 0; }
  legend, label { font-weight: 600; }
  /* Read by screen readers, not shown: a group's name that repeats the step's heading. */
  .visually-hidden { position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
  /*
   * A choice is a whole card to tap (44 px at least, WCAG 2.5.5): the control in its own column, the name and
   * its description beside it, wrapping in their column however narrow the screen.
   */
  .choice {
    display: grid; grid-template-columns: auto 1fr; column-gap: 0.65em; align-items: start; font-weight: normal;
    min-height: 44px; padding: 0.55em 0.75em; margin: 0.4em 0; border: 1px solid #c6c6c6; border-radius: 6px; cursor: pointer;
  }
  .choice:has(input:checked) { border-color: var(--_accent); box-shadow: inset 0 0 0 1px var(--_accent); }
  .choice > input { grid-row: span 2; width: 1.35em; height: 1.35em; margin: 0.1em 0 0; accent-color: var(--_accent); }
  .choice-name { font-weight: 600; }
  .choice-desc { grid-column: 2; color: var(--georeport-muted, #555); }
  .group-name { display: flex; align-items: center; gap: 0.5em; font-weight: 700; margin: 1em 0 0.25em; }
  .group-icon { flex: none; color: var(--_accent); }
  .hint, .counter { margin: 0.1em 0 0.3em; color: var(--georeport-muted, #555); font-size: 0.95em; }
  .counter.over, .error { color: var(--georeport-error, #b3261e); }
  .error { font-weight: 600; margin: 0.3em 0; }
  .info, .notice { background: var(--georeport-notice, #eef4fb); padding: 0.6em 0.8em; border-radius: 4px; }
  input[type='text'], input[type='search'], input[type='email'], input[type='tel'], input[type='datetime-local'], textarea {
    display: block; width: 100%; font: inherit; padding: 0.5em; border: 1px solid #767676; border-radius: 4px;
  }
  [aria-invalid='true'] { border-color: var(--georeport-error, #b3261e); }
  button {
    font: inherit; padding: 0.55em 1.1em; border-radius: 4px; border: 2px solid var(--_accent);
    background: var(--_accent); color: var(--georeport-accent-text, #fff); cursor: pointer; min-height: 44px;
  }
  button.secondary { background: transparent; color: var(--_accent); }
  button.link {
    background: none; border: 0; padding: 0 0.25em; min-height: 44px; min-width: 44px; color: var(--_accent); text-decoration: underline;
  }
  input[type='checkbox'], input[type='radio'] { width: 1.35em; height: 1.35em; accent-color: var(--_accent); }
  button:disabled { opacity: 0.6; cursor: progress; }
  :focus-visible { outline: 3px solid var(--_accent); outline-offset: 2px; }
  .nav { display: flex; gap: 0.75em; justify-content: space-between; margin-top: 1.25em; }
  .live { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
  .photos { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 0.75em; }
  .photos li { display: flex; flex-direction: column; gap: 0.4em; align-items: flex-start; }
  /* The review: each part's name and its Change button on one line, what was entered below at full width. */
  .review { margin: 0; }
  .review-row {
    display: grid; grid-template-columns: 1fr auto; grid-template-areas: 'term edit' 'value value'; column-gap: 0.5em;
    padding: 0.5em 0; border-bottom: 1px solid #ddd;
  }
  .review dt { grid-area: term; font-weight: 600; align-self: center; }
  .review dd { margin: 0; }
  .review-edit { grid-area: edit; }
  .review-value { grid-area: value; overflow-wrap: break-word; min-width: 0; }
  .review-value p { margin: 0.15em 0; white-space: pre-line; }

  .tracking { font-size: 1.6em; }
  @media (prefers-reduced-motion: reduce) { * { transition: none !important; animation: none !important; } }
`;
