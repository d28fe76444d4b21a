import { html, nothing } from 'lit';
import type { HistoryEvent } from '../request-doc.ts';
import type { AdminTexts } from '../texts.ts';
import { wordDiff } from '../word-diff.ts';

/** Who made an event, in words: the staff member's, key's or bus application's name, or what they were. */
export function actorWords(t: AdminTexts, e: Pick<HistoryEvent, 'actor_kind' | 'actor_name'>): string {
  const a = t.casework.actor;
  const name = e.actor_name;
  switch (e.actor_kind) {
    case 'staff':
      return name === null ? a.staffGone : a.staff(name);
    case 'app':
      return name === null ? a.appGone : a.app(name);
    case 'bus':
      return name === null ? a.busGone : a.bus(name);
    default:
      return a[e.actor_kind];
  }
}

/** What a moderation or merge event did, in words (the server says which: `action`); null for other events. */
function what(t: AdminTexts, e: HistoryEvent): string | null {
  const words = t.casework.events;
  switch (e.action) {
    case 'rejected':
      return words.rejected(e.note ?? '');
    case 'published':
      return words.published;
    case 'edited':
      return words.edited;
    case 'photo_hidden':
      return words.photoHidden(Number(e.ref));
    case 'merged_into':
      return words.mergedInto(e.ref!);
    case 'merged_here':
      return words.mergedHere(e.ref!);
    default:
      return null;
  }
}

/** Each edit's comparison, made once per request read (the page is drawn again as the agent works on it). */
const diffs = new WeakMap<HistoryEvent['changes'][number], ReturnType<typeof wordDiff>>();

/** One text before and after an edit, the words taken out struck through, those put in underlined. */
function change(t: AdminTexts, c: HistoryEvent['changes'][number]) {
  const w = t.casework;
  if (c.erased) return html`<dt>${w.fields[c.field]}</dt><dd class="muted">${w.erased}</dd>`;
  const parts = diffs.get(c) ?? diffs.set(c, wordDiff(c.before ?? '', c.after ?? '')).get(c)!;
  const side = (keep: 'gone' | 'new', text: string | null) => text === null || text === ''
    ? html`<span class="muted">${w.empty}</span>`
    : parts.filter((p) => p.kind === 'same' || p.kind === keep).map((p) => (p.kind === 'same' ? p.text : keep === 'gone' ? html`<del>${p.text}</del>` : html`<ins>${p.text}</ins>`));
  return html`<dt>${w.fields[c.field]}</dt><dd>
    <p class="diff"><span class="label">${w.before} :</span> <span class="pre">${side('gone', c.before)}</span></p>
    <p class="diff"><span class="label">${w.after} :</span> <span class="pre">${side('new', c.after)}</span></p></dd>`;
}

/**
 * A request's history for staff, oldest first: when, what (a status in words, a note, a moderation step,
 * an edit as its texts before and after), who by name, and whether the public sees it.
 */
export function historyList(t: AdminTexts, events: HistoryEvent[], when: (iso: string) => string) {
  const r = t.request;
  return html`<ol class="history">${events.map((e) => {
    const worded = what(t, e);
    const status = e.detailed_status && e.detailed_status !== 'rejected' ? ` · ${t.statuses[e.detailed_status]}` : '';
    return html`<li>
      <p class="event"><time datetime=${e.datetime}>${when(e.datetime)}</time> — <strong>${t.events[e.type] ?? e.type}${status}</strong>
        · ${actorWords(t, e)} <span class="tag ${e.public ? 'public' : ''}">${e.public ? r.public : r.internal}</span></p>
      ${worded ? html`<p>${worded}</p>` : e.note ? html`<p class="pre">${e.note}</p>` : nothing}
      ${e.changes.length ? html`<dl class="changes">${e.changes.map((c) => change(t, c))}</dl>` : nothing}
    </li>`;
  })}</ol>`;
}
