import { html, nothing } from 'lit';
import type { EditedField, RequestDoc } from '../request-doc.ts';
import type { AdminTexts } from '../texts.ts';

/** The request a merge would join, as looked up: found, no such request here, or the request itself. */
export type MergeTarget = RequestDoc | 'unknown' | 'self' | null;

/** Closes the dialog the event happened in. */
const close = (e: Event) => ((e.target as Element).closest('dialog') as HTMLDialogElement).close();

/** The buttons at the foot of a dialog: what it confirms, and Cancel. */
const buttons = (t: AdminTexts, confirm: string, danger = false, disabled = false) => html`<p class="row">
  <button type="submit" class=${danger ? 'danger' : ''} ?disabled=${disabled}>${confirm}</button>
  <button type="button" class="secondary" @click=${close}>${t.casework.cancel}</button></p>`;

/**
 * Rejecting, asked first: what it does (out of public view, the reporter told the reason, not undone
 * here), and the reason, which nothing preselects: the form cannot be sent without one chosen.
 */
export function rejectDialog(t: AdminTexts, r: RequestDoc, submit: (e: Event) => void) {
  const w = t.casework;
  return html`<dialog id="reject-dialog" aria-labelledby="reject-title" aria-describedby="reject-what">
    <form @submit=${submit}>
      <h2 id="reject-title">${w.rejectTitle(r.service_request_id)}</h2>
      <p id="reject-what">${w.rejectWhat}</p>
      <div class="field"><label for="reason">${w.reason}</label>
        <select id="reason" name="reason" required><option value="">${w.chooseReason}</option>${t.request.reasons.map((x) => html`<option>${x}</option>`)}</select></div>
      ${buttons(t, w.confirmReject, true)}
    </form></dialog>`;
}

/**
 * Merging, in two steps: the number typed shows the request it names (its category, place and state),
 * then the merge is confirmed with what it does (closed as a duplicate in public, followers carried over,
 * not undone).
 */
export function mergeDialog(t: AdminTexts, r: RequestDoc, target: MergeTarget, input: () => void, submit: (e: Event) => void) {
  const w = t.casework;
  const found = typeof target === 'object' && target !== null ? target : null;
  const said = target === 'unknown' ? w.mergeUnknown : target === 'self' ? w.mergeSelf : found
    ? w.mergeFound(found.service_request_id, [found.service_name, found.address, t.statuses[found.detailed_status]].filter(Boolean).join(' · ')) : '';
  return html`<dialog id="merge-dialog" aria-labelledby="merge-title">
    <form @submit=${submit}>
      <h2 id="merge-title">${w.mergeTitle(r.service_request_id)}</h2>
      <div class="field"><label for="merge-into">${w.mergeInto}</label>
        <input id="merge-into" name="into" inputmode="numeric" pattern="[0-9]+" required autocomplete="off" @input=${input} /></div>
      <p role="status">${said}</p>
      ${found ? html`<p>${w.mergeWhat(r.service_request_id, found.service_request_id, r.followers)}</p>` : nothing}
      ${buttons(t, found ? w.confirmMerge : w.mergeCheck)}
    </form></dialog>`;
}

/**
 * Publishing a held request whose texts the agent changed and has not saved: what the public will read
 * (the texts as changed, the photos shown), that the reporter stays private; confirmed, the texts are
 * saved, then the request published.
 */
export function publishDialog(t: AdminTexts, r: RequestDoc, edits: Partial<Record<EditedField, string>>, submit: (e: Event) => void) {
  const w = t.casework;
  const shown = (f: EditedField) => edits[f] ?? r[f] ?? '';
  const hidden = r.media.filter((m) => m.hidden).length;
  return html`<dialog id="publish-dialog" aria-labelledby="publish-title">
    <form @submit=${submit}>
      <h2 id="publish-title">${w.publishTitle(r.service_request_id)}</h2>
      <p>${w.publishWhat}</p>
      <dl class="changes">${(['title', 'description', 'address'] as const).map((f) => html`<dt>${w.fields[f]}</dt>
        <dd class="pre">${shown(f) || html`<span class="muted">${w.empty}</span>`}</dd>`)}</dl>
      <p>${w.publishPhotos(r.media.length - hidden, hidden)} ${w.publishPrivate}</p>
      ${buttons(t, w.confirmPublish)}
    </form></dialog>`;
}
