import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { BULK_ACTIONS, type BulkActionName } from '../../../server/shared/inbox.ts';
import { adminStyles } from '../admin.styles.ts';
import { STATUSES, type ResponseTemplate } from '../catalogue-doc.ts';
import type { AdminTexts } from '../texts.ts';
import { InboxBulkEvent } from './inbox-events.ts';
import type { InboxItem } from './inbox-route.ts';
import { inboxStyles } from './inbox.styles.ts';

/** Actions whose outcome the public sees or that cannot be undone: asked again, with the count, before they go. */
const CONFIRMED: readonly BulkActionName[] = ['status', 'publish', 'reject', 'merge'];

/**
 * What an agent does to the requests selected in the inbox: assign them, change their status with a
 * public message (started from a response template where one exists for that status and their
 * categories), publish, reject with a reason, or merge them into one of them. The selection's size is
 * announced as it changes. Public or destructive actions open a dialog saying what will happen to how
 * many requests; nothing is sent until it is confirmed. The page makes the call and, once it is done,
 * empties the selection, which clears this form.
 *
 * @event georeport-inbox-bulk - an action was asked for (and confirmed): `body` is the call's
 */
export class AdminBulkActions extends LitElement {
  static override styles = [adminStyles, inboxStyles];
  static override properties = {
    t: { attribute: false }, selection: { attribute: false }, assignees: { attribute: false }, templates: { attribute: false },
    staffId: { type: String, attribute: 'staff-id' }, moderation: { type: Boolean }, action: { state: true }, status: { state: true }, asking: { state: true },
    affected: { state: true },
  };
  declare t: AdminTexts;
  /** The requests selected, in the list's order. */
  declare selection: InboxItem[];
  declare assignees: { id: string; name: string }[];
  declare templates: ResponseTemplate[];
  /** Who is logged in ("Me" heads the assignees). */
  declare staffId: string;
  /** The moderation queue: publishing and rejecting come first. */
  declare moderation: boolean;
  declare action: BulkActionName | '';
  /** The status chosen for a status change (its templates are offered). */
  declare status: string;
  /** The question of the confirmation dialog, while it is open, and how many requests it is about. */
  declare asking: string;
  declare affected: number;
  private pending: Record<string, unknown> | null = null;
  /** The form restarts while the keyboard is in it: the focus goes to its first field, not lost with the disabled button. */
  private refocus = false;

  constructor() {
    super();
    this.selection = [];
    this.assignees = [];
    this.templates = [];
    this.staffId = '';
    this.moderation = false;
    this.action = '';
    this.status = STATUSES[1]!;
    this.asking = '';
    this.affected = 0;
  }

  override willUpdate(changed: PropertyValues<this>) {
    // The call done, the page empties the selection: the form starts again.
    if (changed.has('selection') && this.selection.length === 0 && (changed.get('selection')?.length ?? 0) > 0) {
      this.renderRoot.querySelector('form')?.reset();
      this.action = '';
      this.refocus = (this.renderRoot as ShadowRoot).activeElement !== null;
    }
  }

  override updated() {
    if (!this.refocus) return;
    this.refocus = false;
    (this.renderRoot.querySelector('#bulk-action') as HTMLSelectElement).focus();
  }

  override render() {
    const t = this.t.inbox.bulk;
    const n = this.selection.length;
    const order: BulkActionName[] = this.moderation ? ['publish', 'reject', 'merge', 'assign', 'status'] : [...BULK_ACTIONS];
    return html`
      <section class="bulk" aria-labelledby="bulk-title">
        <h2 id="bulk-title">${t.title}</h2>
        <p role="status" aria-live="polite" class="muted">${this.t.inbox.selected(n)}</p>
        <form @submit=${this.submit}>
          <div class="field"><label for="bulk-action">${t.action}</label>
            <select id="bulk-action" name="action" required @change=${(e: Event) => (this.action = (e.target as HTMLSelectElement).value as BulkActionName)}>
              <option value="" ?selected=${this.action === ''}>${t.choose}</option>
              ${order.map((a) => html`<option value=${a} ?selected=${this.action === a}>${t.actions[a]}</option>`)}
            </select></div>
          ${this.fields()}
          <button type="submit" ?disabled=${n === 0 || (this.action === 'merge' && n < 2)}>${t.apply}</button>
          ${this.action === 'merge' && n < 2 ? html`<p class="muted">${t.tooFew}</p>` : nothing}
        </form>
        <dialog aria-labelledby="bulk-question" @close=${this.answered}>
          <form method="dialog">
            <p id="bulk-question">${this.asking}</p>
            <p class="row"><button value="no" class="secondary" autofocus>${t.cancel}</button><button value="yes">${t.confirmYes(this.affected)}</button></p>
          </form>
        </dialog>
      </section>`;
  }

  /** The fields the chosen action needs. */
  private fields() {
    const t = this.t.inbox.bulk;
    switch (this.action) {
      case 'assign':
        return html`<div class="field"><label for="bulk-assignee">${t.to}</label><select id="bulk-assignee" name="staff_id">
          <option value=${this.staffId}>${this.t.inbox.me}</option>
          ${this.assignees.filter((a) => a.id !== this.staffId).map((a) => html`<option value=${a.id}>${a.name}</option>`)}
          <option value="">${this.t.inbox.nobody}</option></select></div>`;
      case 'status': {
        const offered = this.offeredTemplates();
        return html`<div class="field"><label for="bulk-status">${t.newStatus}</label>
            <select id="bulk-status" name="detailed_status" @change=${(e: Event) => (this.status = (e.target as HTMLSelectElement).value)}>
              ${STATUSES.map((s) => html`<option value=${s} ?selected=${s === this.status}>${this.t.statuses[s]}</option>`)}</select></div>
          ${offered.length ? html`<div class="field"><label for="bulk-template">${t.template}</label>
            <select id="bulk-template" @change=${this.useTemplate}><option value="">${t.noTemplate}</option>
              ${offered.map((x, i) => html`<option value=${i}>${x.label}</option>`)}</select></div>` : nothing}
          <div class="field"><label for="bulk-note">${t.note}</label><textarea id="bulk-note" name="note"></textarea></div>`;
      }
      case 'reject':
        return html`<div class="field"><label for="bulk-reason">${t.reason}</label><input id="bulk-reason" name="reason" required maxlength="500" /></div>`;
      case 'merge':
        return html`<div class="field"><label for="bulk-into">${t.into}</label><select id="bulk-into" name="into">
          ${this.selection.map((r) => html`<option value=${r.service_request_id}>${r.service_request_id} · ${r.service_name}${r.address ? ` · ${r.address}` : ''}</option>`)}</select></div>`;
      default:
        return nothing;
    }
  }

  /** The templates for the chosen status in the page's language, for the selection's categories, each text once. */
  private offeredTemplates() {
    const language = this.t.locale.slice(0, 2);
    const categories = new Map(this.selection.map((r) => [r.service_code, r.service_name]));
    const seen = new Set<string>();
    return this.templates
      .filter((x) => x.detailed_status === this.status && x.locale === language && categories.has(x.service_code) && !seen.has(x.text) && seen.add(x.text))
      .map((x) => ({ text: x.text, label: `${categories.get(x.service_code)} : ${x.text.length > 60 ? `${x.text.slice(0, 60)}…` : x.text}` }));
  }

  private useTemplate = (e: Event) => {
    const chosen = this.offeredTemplates()[Number((e.target as HTMLSelectElement).value)];
    if (chosen) (this.renderRoot.querySelector('#bulk-note') as HTMLTextAreaElement).value = chosen.text;
  };

  private submit = (e: Event) => {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const value = (name: string) => (form.elements.namedItem(name) as HTMLInputElement | null)?.value ?? '';
    const ids = this.selection.map((r) => r.service_request_id);
    const action = this.action as BulkActionName;
    const body: Record<string, unknown> = { ids, action };
    if (action === 'assign') body.staff_id = value('staff_id') || null;
    if (action === 'status') Object.assign(body, { detailed_status: value('detailed_status'), note: value('note') || undefined });
    if (action === 'reject') body.reason = value('reason');
    if (action === 'merge') body.into = value('into');
    if (!CONFIRMED.includes(action)) return void this.dispatchEvent(new InboxBulkEvent(body));
    const t = this.t.inbox.bulk.confirm;
    this.affected = action === 'merge' ? ids.filter((id) => id !== body.into).length : ids.length;
    this.asking = action === 'status' ? t.status(this.affected, this.t.statuses[value('detailed_status')]!)
      : action === 'merge' ? t.merge(this.affected, String(body.into)) : t[action as 'publish' | 'reject'](this.affected);
    this.pending = body;
    (this.renderRoot.querySelector('dialog') as HTMLDialogElement).showModal();
  };

  private answered = (e: Event) => {
    const yes = (e.target as HTMLDialogElement).returnValue === 'yes';
    const body = this.pending;
    this.pending = null;
    this.asking = '';
    if (yes && body) this.dispatchEvent(new InboxBulkEvent(body));
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'georeport-admin-bulk': AdminBulkActions;
  }
}
