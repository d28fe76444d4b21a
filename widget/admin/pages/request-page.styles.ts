import { css } from 'lit';

/**
 * A request's page: a bar that stays in view (the request's state, what the last action did, the
 * decisions), then the facts and, where the page is wide enough, the actions beside them in a column that
 * stays in view too; one column when narrow (in a phone, or a narrow pane). The width is the page's own
 * (a container query), so it fits wherever the page is shown.
 */
export const requestPageStyles = css`
  :host { container-type: inline-size; }
  .bar {
    position: sticky; top: 0; z-index: 1100; background: #fff; border-bottom: 1px solid #c6c6c6; padding: 0.4em 0 0.5em;
    display: flex; flex-wrap: wrap; gap: 0.4em 1em; align-items: center;
  }
  .bar .state { margin: 0; font-weight: 600; }
  .bar .quick { display: flex; flex-wrap: wrap; gap: 0.4em; margin: 0; }
  .bar [role='status'] { flex: 1 1 100%; margin: 0; }
  .side h2:first-child { margin-top: 0.6em; }
  .side form, .side details { border-top: 1px solid #ddd; padding-bottom: 0.4em; }
  .side .field { max-width: none; }
  .side textarea { min-height: 7em; }
  .templates { display: flex; flex-direction: column; align-items: flex-start; gap: 0.3em; margin: 0.3em 0; }
  .history { padding-inline-start: 1.2em; }
  .history .event { margin: 0; }
  .history p { margin: 0.2em 0; }
  .tag { font-size: 0.85em; border: 1px solid #767676; border-radius: 3px; padding: 0 0.3em; color: #3d3d3d; }
  .tag.public { border-color: #0b5cad; color: #0b5cad; }
  .changes { margin: 0.3em 0; display: grid; grid-template-columns: max-content 1fr; gap: 0.2em 0.8em; }
  .changes dt { font-weight: 600; }
  .changes dd { margin: 0; }
  .diff .label { font-weight: 600; }
  del { background: #fde7e9; color: #8c1d18; }
  ins { background: #e3f4e6; color: #1b5e20; text-decoration-thickness: 2px; }
  button.danger { background: #b3261e; border-color: #b3261e; }
  dialog { max-width: min(36em, calc(100vw - 2em)); border: 2px solid var(--_accent); border-radius: 6px; padding: 0.5em 1.2em 1em; }
  dialog::backdrop { background: rgb(0 0 0 / 0.45); }
  dialog h2 { margin-top: 0.5em; }
  .jump { display: inline-block; }
  /* The facts' caption names the table for screen readers; on screen the heading above already says it. */
  .facts caption { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
  @container (min-width: 40em) {
    .case { display: grid; grid-template-columns: minmax(0, 1fr) minmax(17em, 24em); gap: 0 2em; align-items: start; }
    .side { position: sticky; top: var(--bar-height, 4em); max-height: calc(100vh - var(--bar-height, 4em) - 2.5em); overflow-y: auto; padding: 0 0.3em 1em; }
    .jump { display: none; }
  }
`;
