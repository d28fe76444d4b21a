import { css } from 'lit';

/**
 * The inbox's look: a dense list an agent scans at 1280 × 800, the request open beside it on wide screens
 * (alone, with a way back, on narrow ones), SLA states by word and shape as well as colour (each colour
 * pair above 4.5:1), the row with the focus and the one open easy to see.
 */
export const inboxStyles = css`
  .sr-only { position: absolute; width: 1px; height: 1px; margin: -1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
  table.inbox { font-size: 0.92em; table-layout: auto; }
  table.inbox th, table.inbox td { padding: 0.3em 0.4em; }
  table.inbox thead th { position: sticky; top: 0; z-index: 1; white-space: nowrap; }
  th button.sort { all: unset; cursor: pointer; font-weight: 600; display: inline-flex; gap: 0.25em; align-items: center; min-height: 32px; }
  th button.sort:focus-visible { outline: 3px solid var(--_accent); outline-offset: 1px; }
  th[aria-sort] button.sort { color: var(--_accent); text-decoration: underline; text-underline-offset: 3px; }
  .arrow { font-size: 0.8em; inline-size: 1em; }
  tbody tr { cursor: default; }
  tbody tr:hover { background: #f6f8fb; }
  tbody tr:focus { outline: 3px solid var(--_accent); outline-offset: -3px; background: #eef4fb; }
  tbody tr[aria-current='true'] { background: #e3edf8; box-shadow: inset 4px 0 0 var(--_accent); }
  td.pick, th.pick { inline-size: 2em; text-align: center; }
  td.pick input, th.pick input { inline-size: 1.15em; block-size: 1.15em; margin: 0.2em; }
  td.number a { font-weight: 600; }
  .excerpt { display: block; max-inline-size: 22em; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
  .sla { display: inline-flex; align-items: center; gap: 0.3em; font-weight: 600; white-space: nowrap; padding: 0 0.35em; border-radius: 3px; }
  .sla::before { content: ''; display: inline-block; inline-size: 0.7em; block-size: 0.7em; }
  .sla--overdue { color: #8a1c14; background: #fde8e6; }
  .sla--overdue::before { background: #b3261e; clip-path: polygon(50% 0, 100% 100%, 0 100%); }
  .sla--due_today { color: #6b4300; background: #fff1d6; }
  .sla--due_today::before { background: #9a6200; transform: rotate(45deg); }
  .sla--on_time { color: #1d5b2a; background: #e4f4e7; }
  .sla--on_time::before { background: #2e7d32; border-radius: 50%; }
  .sla--none { color: #555; font-weight: normal; background: none; }
  .sla--none::before { display: none; }
  .queues ul { list-style: none; display: flex; flex-wrap: wrap; gap: 0.4em; padding: 0; margin: 0 0 0.6em; }
  .queues a { display: inline-flex; gap: 0.4em; align-items: baseline; padding: 0.3em 0.8em; border: 2px solid var(--_accent); border-radius: 999px; color: var(--_accent);
    text-decoration: none; min-block-size: 40px; align-items: center; }
  .queues a[aria-current='page'] { background: var(--_accent); color: #fff; }
  .queues .count { font-weight: 700; }
  :host([compact]) .wide { display: none; }
  .filters { display: flex; flex-wrap: wrap; gap: 0.2em 0.6em; align-items: flex-end; margin: 0 0 0.3em; }
  .filters .field { margin: 0; }
  .filters input, .filters select { padding: 0.3em; max-inline-size: 13em; min-block-size: 40px; }
  .filters input[type='search'] { inline-size: 11em; }
  .toolbar { display: flex; flex-wrap: wrap; gap: 0.3em 1em; align-items: center; justify-content: space-between; margin: 0.2em 0; }
  .toolbar p { margin: 0; }
  .layout { display: grid; gap: 1em; align-items: start; }
  .list { min-inline-size: 0; }
  .detail { min-inline-size: 0; border-block-start: 3px solid var(--_accent); padding-block-start: 0.4em; }
  .detail-bar { display: flex; flex-wrap: wrap; gap: 0.5em 1em; align-items: center; justify-content: space-between; margin: 0 0 0.4em; }
  .detail-bar p { margin: 0; }
  .assignment { display: flex; flex-wrap: wrap; gap: 0.4em 0.8em; align-items: center; background: #f2f4f7; padding: 0.4em 0.6em; border-radius: 4px; }
  .assignment label { font-weight: 600; }
  .assignment select, .assignment button { min-block-size: 40px; }
  .bulk { border: 1px solid #c6c6c6; border-radius: 4px; padding: 0.3em 0.6em; margin: 0.3em 0; background: #fafbfc;
    display: flex; flex-wrap: wrap; gap: 0.2em 0.8em; align-items: flex-end; }
  .bulk h2 { font-size: 1em; margin: 0; align-self: center; }
  .bulk > p { margin: 0; align-self: center; }
  .bulk form { display: flex; flex-wrap: wrap; gap: 0.2em 0.6em; align-items: flex-end; }
  .bulk .field { margin: 0; }
  .bulk select, .bulk input, .bulk textarea { padding: 0.3em; max-inline-size: 16em; }
  .bulk textarea { min-block-size: 2.4em; inline-size: 22em; max-inline-size: 100%; }
  .bulk button { min-block-size: 40px; }
  .back { display: none; }
  .scroll { overflow-x: auto; }
  @media (max-width: 700px) {
    .excerpt { display: none; }
  }
  /* The request's own page sizes itself to the pane (container queries), not to the window. */
  .detail { container-type: inline-size; }
  @media (min-width: 1100px) {
    /* The list keeps what triage needs (number, category, place, deadline, assignee); the request gets the
       larger part, enough for its facts and actions side by side at 1280 px, and stays in view as the list
       scrolls. */
    .open .layout { grid-template-columns: minmax(0, 9fr) minmax(0, 11fr); }
    .open .detail { position: sticky; top: 0; max-block-size: calc(100vh - 3em); overflow-y: auto; border-block-start: none;
      border-inline-start: 3px solid var(--_accent); padding: 0 0 0 0.8em; }
    .open .detail-bar { flex-wrap: nowrap; }
  }
  @media (max-width: 1099.98px) {
    .open .list, .open .controls { display: none; }
    .back { display: inline; }
    .close { display: none; }
  }
  td.age, td.channel { white-space: nowrap; }
  dialog { border: 2px solid var(--_accent); border-radius: 6px; max-inline-size: min(36em, 92vw); padding: 1em 1.2em; }
  dialog::backdrop { background: rgb(0 0 0 / 0.45); }
  dialog .row { justify-content: flex-end; margin-block-start: 1em; }
`;
