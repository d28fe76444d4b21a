import { html, nothing, type CSSResultGroup, type PropertyValues } from 'lit';
import { AdminError } from '../api.ts';
import { AdminPage } from '../admin-page.ts';
import { localized, STATUSES, type AttributeDoc, type CatalogueDoc } from '../catalogue-doc.ts';
import type { EditedField, OfferedTemplates, RequestDoc } from '../request-doc.ts';
import { mergeDialog, publishDialog, rejectDialog, type MergeTarget } from './request-dialogs.ts';
import { historyList } from './request-history.ts';
import { requestPageStyles } from './request-page.styles.ts';
import { RequestShownEvent } from '../inbox/inbox-events.ts';
import { EDITED_FIELDS } from '../../../server/shared/casework.ts';

/**
 * One request as staff handle it. A bar stays in view with its state, what the last action did (shown
 * and announced) and the decisions (publish, reject, merge: the public or undoable ones asked first in a
 * dialog saying what they do). Below, what was reported (the reporter, the answers, the photos, the map)
 * and its history (who did what by name, edits as before and after); beside it for agents, the actions:
 * answer the resident (status, public message, the category's template for that status in the
 * reporter's language, where one exists), an internal note, the department, the texts. A form that
 * succeeded is cleared.
 */
export class AdminRequestPage extends AdminPage {
  static override styles: CSSResultGroup = [AdminPage.styles, requestPageStyles];
  static override properties = {
    ...AdminPage.properties, requestId: { type: String, attribute: 'request-id' }, request: { state: true }, offered: { state: true },
    questions: { state: true }, departments: { state: true }, chosenStatus: { state: true }, mergeTarget: { state: true }, edits: { state: true },
  };
  declare requestId: string;
  declare request: RequestDoc | null;
  /** The templates this request may be answered with (its category's, in its language). */
  declare offered: OfferedTemplates | null;
  /** The questions of the request's category, to word its answers. */
  declare questions: AttributeDoc[];
  /** The departments of the town, to give the request to. */
  declare departments: { id: string; name: string }[];
  /** The status chosen in the answer form (its template, if any, is offered). */
  declare chosenStatus: string;
  declare mergeTarget: MergeTarget;
  /** The texts changed in the edit form and not saved, shown before publishing. */
  declare edits: Partial<Record<EditedField, string>>;
  private readonly barSize = new ResizeObserver(([entry]) => this.style.setProperty('--bar-height', `${Math.ceil(entry!.borderBoxSize[0]!.blockSize)}px`));

  constructor() {
    super();
    this.requestId = '';
    this.request = null;
    this.offered = null;
    this.questions = [];
    this.departments = [];
    this.chosenStatus = '';
    this.mergeTarget = null;
    this.edits = {};
  }

  override willUpdate(changed: PropertyValues<this>) {
    if (changed.has('requestId') || changed.has('jurisdiction')) void this.load();
  }

  override updated() {
    const bar = this.renderRoot.querySelector('.bar');
    if (bar) this.barSize.observe(bar);
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    this.barSize.disconnect();
  }

  /** The heading, the bar (with the status line), then the request. */
  override render() {
    return html`<h1 tabindex="-1">${this.heading()}</h1>${this.body()}`;
  }

  protected override heading() {
    const r = this.request;
    return r ? `${this.t.request.title(r.service_request_id)} · ${r.service_name}` : this.t.request.title(this.requestId);
  }

  protected override body() {
    const r = this.request;
    const agent = this.staffRole !== 'readonly';
    if (!r) return html`${this.status()}<p>${this.t.loading}</p>`;
    return html`
      ${this.bar(r, agent)}
      <div class="case">
        <section class="facts" aria-labelledby="facts-title"><h2 id="facts-title">${this.t.casework.facts}</h2>${this.facts(r, agent)}</section>
        ${agent ? html`<aside class="side" aria-labelledby="actions-title"><h2 id="actions-title">${this.t.casework.actions}</h2>${this.actions(r)}</aside>` : nothing}
      </div>
      ${agent ? html`${rejectDialog(this.t, r, this.reject)}${mergeDialog(this.t, r, this.mergeTarget, this.mergeTyped, this.merge)}
        ${publishDialog(this.t, r, this.edits, this.publishEdited)}` : nothing}`;
  }

  private bar(r: RequestDoc, agent: boolean) {
    const w = this.t.casework;
    // Each time asked afresh: no reason or number left from a dialog declined before.
    const open = (id: string) => () => {
      if (id === 'merge-dialog') this.mergeTarget = null;
      this.dialog(id).querySelector('form')!.reset();
      this.dialog(id).showModal();
    };
    return html`<div class="bar">
      <p class="state">${w.summary(this.t.statuses[r.detailed_status] ?? r.detailed_status, this.t.visibilities[r.visibility] ?? r.visibility)}</p>
      ${agent ? html`<p class="quick">
        <button type="button" class="secondary jump" @click=${this.jump}>${w.jumpToAnswer}</button>
        ${r.visibility === 'pending' ? html`<button type="button" id="publish" @click=${this.publish}>${w.publish}</button>` : nothing}
        ${r.visibility !== 'hidden' ? html`<button type="button" class="secondary" id="reject" @click=${open('reject-dialog')}>${w.reject}</button>` : nothing}
        ${r.duplicate_of === null ? html`<button type="button" class="secondary" id="merge" @click=${open('merge-dialog')}>${w.merge}</button>` : nothing}
      </p>` : nothing}
      ${this.status()}
    </div>`;
  }

  private facts(r: RequestDoc, agent: boolean) {
    const t = this.t.request;
    const when = this.when;
    const person = r.reporter && [r.reporter.first_name, r.reporter.last_name, r.reporter.organisation, r.reporter.email, r.reporter.phone].filter(Boolean).join(' · ');
    return html`
      <table><caption>${t.title(r.service_request_id)}</caption><tbody>
        <tr><th scope="row">${t.status}</th><td>${this.t.statuses[r.detailed_status]}</td></tr>
        <tr><th scope="row">${t.visibility}</th><td>${this.t.visibilities[r.visibility]}</td></tr>
        <tr><th scope="row">${t.category}</th><td>${r.service_name}</td></tr>
        ${r.duplicate_of ? html`<tr><th scope="row">${this.t.casework.duplicateOf}</th><td><a href=${`#/requests/${r.duplicate_of}`}>${t.title(r.duplicate_of)}</a></td></tr>` : nothing}
        <tr><th scope="row">${t.filed}</th><td>${when(r.requested_datetime)} · ${this.t.channels[r.channel] ?? r.channel}</td></tr>
        ${r.expected_datetime ? html`<tr><th scope="row">${t.expected}</th><td>${when(r.expected_datetime)}</td></tr>` : nothing}
        ${r.external_id ? html`<tr><th scope="row">${t.external}</th><td>${r.external_id}</td></tr>` : nothing}
        <tr><th scope="row">${t.address}</th><td>${r.address ?? '—'}</td></tr>
        <tr><th scope="row">${t.titleField}</th><td>${r.title ?? '—'}</td></tr>
        <tr><th scope="row">${t.description}</th><td class="pre">${r.description ?? '—'}</td></tr>
        <tr><th scope="row">${t.reporter}</th><td>${r.reporter === null ? t.erased : person || t.anonymous}</td></tr>
        <tr><th scope="row">${t.department}</th><td>${this.departments.find((d) => Number(d.id) === r.assigned_department)?.name ?? t.noDepartment}</td></tr>
        <tr><th scope="row">${t.followers}</th><td>${r.followers}</td></tr>
      </tbody></table>
      ${r.lat !== null && r.long !== null ? html`<georeport-admin-map .tiles=${this.tiles} label=${t.where}
        .points=${[{ lat: r.lat, long: r.long, title: r.address ?? `${r.lat}, ${r.long}` }]}></georeport-admin-map>` : nothing}
      ${r.attributes.length ? html`<h3>${t.attributes}</h3><ul>${r.attributes.map((a) => this.answer(a))}</ul>` : nothing}
      ${r.media.length ? html`<h3>${t.photos}</h3><ul class="photos">${r.media.map((m, i) => html`<li>
        <img src=${m.media.startsWith('http') ? m.media : `/media/${m.media}`} alt=${`${t.photos} ${i + 1}`} />
        ${m.hidden ? html`<span class="muted">${t.hidden}</span>` : agent ? html`<button type="button" class="secondary"
          @click=${() => this.act(`media/${m.id}/hide`, {}, this.t.casework.done.photo)}>${t.hide}</button>` : nothing}
      </li>`)}</ul>` : nothing}
      <h3>${t.history}</h3>
      ${historyList(this.t, r.history, when)}`;
  }

  private actions(r: RequestDoc) {
    const t = this.t.request;
    const w = this.t.casework;
    const template = this.offered?.templates.find((x) => x.detailed_status === this.chosenStatus);
    const language = this.offered ? w.languages[this.offered.locale] ?? this.offered.locale : '';
    return html`
      <form id="answer" @submit=${this.answerResident} aria-labelledby="answer-title" aria-describedby="answer-help">
        <h3 id="answer-title">${w.answer}</h3>
        <div class="field"><label for="new-status">${t.newStatus}</label>
          <select id="new-status" name="detailed_status" @change=${(e: Event) => (this.chosenStatus = (e.target as HTMLSelectElement).value)}>
            ${STATUSES.map((s) => html`<option value=${s} ?selected=${s === r.detailed_status}>${this.t.statuses[s]}</option>`)}</select></div>
        ${template ? html`<div class="templates"><span class="muted">${w.templateHere(language, r.reporter?.locale === this.offered!.locale)}</span>
          <button type="button" class="secondary" id="use-template" @click=${() => this.useTemplate(template.text)}>${w.template(this.t.statuses[template.detailed_status]!, language)}</button></div>` : nothing}
        <div class="field"><label for="status-note">${w.message}</label><textarea id="status-note" name="note"></textarea></div>
        <p class="muted" id="answer-help">${w.answerHelp}</p>
        <button type="submit">${w.saveAnswer}</button>
      </form>
      <form @submit=${this.addInternal} aria-labelledby="internal-title">
        <h3 id="internal-title">${w.internal}</h3>
        <div class="field"><label for="note-text">${t.noteText}</label><textarea id="note-text" name="note" required aria-describedby="internal-help"></textarea>
          <span class="muted" id="internal-help">${w.internalHelp}</span></div>
        <button type="submit">${w.addInternal}</button>
      </form>
      <form @submit=${this.assign} aria-labelledby="assign-title">
        <h3 id="assign-title">${t.assignTitle}</h3>
        <div class="field"><label for="department">${t.department}</label>
          <select id="department" name="department_id"><option value="">${t.noDepartment}</option>
            ${this.departments.map((d) => html`<option value=${d.id} ?selected=${Number(d.id) === r.assigned_department}>${d.name}</option>`)}</select></div>
        <button type="submit">${t.assign}</button>
      </form>
      <details><summary>${w.edit}</summary>
        <form id="edit" @submit=${this.edit} aria-label=${w.edit}>
          <div class="field"><label for="edit-title">${t.titleField}</label><input id="edit-title" name="title" .value=${r.title ?? ''} /></div>
          <div class="field"><label for="edit-description">${t.description}</label><textarea id="edit-description" name="description" .value=${r.description ?? ''}></textarea></div>
          <div class="field"><label for="edit-address">${t.address}</label><input id="edit-address" name="address" .value=${r.address ?? ''} /></div>
          <button type="submit" class="secondary">${t.saveEdit}</button>
        </form></details>`;
  }

  private when = (iso: string) => new Date(iso).toLocaleString(this.t.locale);

  private dialog(id: string) {
    return this.renderRoot.querySelector(`#${id}`) as HTMLDialogElement;
  }

  private form(id: string) {
    return this.renderRoot.querySelector(`#${id}`) as HTMLFormElement;
  }

  /** On a narrow page the actions are below the facts: "Answer" takes the agent there. */
  private jump = () => {
    const status = this.renderRoot.querySelector<HTMLSelectElement>('#new-status')!;
    status.scrollIntoView({ block: 'center' });
    status.focus();
  };

  private useTemplate(text: string) {
    const note = this.renderRoot.querySelector<HTMLTextAreaElement>('#status-note')!;
    note.value = text;
    note.focus();
  }

  /** Says something in the status line that is not a call's outcome; false, as nothing was done. */
  private say(message: string) {
    this.problems = [];
    this.message = message;
    return false;
  }

  /** Runs an action on the request; on success shows it as it now is and says `done`. */
  private async act(what: string, body: unknown, done: string) {
    const updated = await this.run(() => this.api.post<RequestDoc>(this.path(`requests/${this.requestId}/${what}`), body), done);
    if (!updated) return false;
    this.request = updated;
    this.dispatchEvent(new RequestShownEvent(updated, true));
    await this.updateComplete;
    // The button that was used may be gone (Publish once published, Reject once rejected): the focus goes
    // back to the page's heading rather than to nowhere.
    if (!this.renderRoot.querySelector(':focus') && (document.activeElement === document.body || document.activeElement === null)) {
      this.renderRoot.querySelector<HTMLElement>('h1')?.focus();
    }
    return true;
  }

  private answerResident = async (e: Event) => {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const status = this.value(form, 'detailed_status');
    const note = this.value(form, 'note').trim();
    const label = this.t.statuses[status] ?? status;
    const done = this.t.casework.done;
    const saved = status !== this.request!.detailed_status
      ? await this.act('status', { detailed_status: status, note: note || undefined }, note ? done.statusAndMessage(label) : done.status(label))
      : note ? await this.act('notes', { note, public: true }, done.message) : this.say(this.t.casework.nothingToSave);
    if (!saved) return;
    form.reset();
    this.chosenStatus = this.request!.detailed_status;
  };

  private addInternal = async (e: Event) => {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    if (await this.act('notes', { note: this.value(form, 'note'), public: false }, this.t.casework.done.internal)) form.reset();
  };

  private assign = (e: Event) => {
    e.preventDefault();
    const id = this.value(e.target as HTMLFormElement, 'department_id');
    const name = this.departments.find((d) => d.id === id)?.name;
    void this.act('assign', { department_id: id || null }, name ? this.t.casework.done.assigned(name) : this.t.casework.done.unassigned);
  };

  /** The texts of the edit form that differ from the request's. */
  private changedTexts(): Partial<Record<EditedField, string>> {
    const form = this.form('edit');
    return Object.fromEntries(EDITED_FIELDS.flatMap((f) => (this.value(form, f) !== (this.request![f] ?? '') && this.value(form, f) !== '' ? [[f, this.value(form, f)]] : [])));
  }

  private edit = (e: Event) => {
    e.preventDefault();
    const changed = this.changedTexts();
    if (Object.keys(changed).length === 0) this.say(this.t.casework.done.unchanged);
    else void this.act('edit', changed, this.t.casework.done.edited);
  };

  /** Publishes at once, or, when the texts were changed and not saved, after the dialog saying what becomes public. */
  private publish = () => {
    this.edits = this.changedTexts();
    if (Object.keys(this.edits).length === 0) void this.act('publish', {}, this.t.casework.done.published);
    else this.dialog('publish-dialog').showModal();
  };

  private publishEdited = async (e: Event) => {
    e.preventDefault();
    this.dialog('publish-dialog').close();
    if (await this.act('edit', this.edits, this.t.casework.done.edited)) await this.act('publish', {}, this.t.casework.done.published);
  };

  private reject = async (e: Event) => {
    e.preventDefault();
    const reason = this.value(e.target as HTMLFormElement, 'reason');
    this.dialog('reject-dialog').close();
    await this.act('reject', { reason }, this.t.casework.done.rejected);
  };

  private mergeTyped = () => (this.mergeTarget = null);

  /** First the number typed is looked up and shown; sent again as it is, the merge is made. */
  private merge = async (e: Event) => {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const into = this.value(form, 'into');
    const target = this.mergeTarget;
    if (typeof target === 'object' && target?.service_request_id === String(Number(into))) {
      this.dialog('merge-dialog').close();
      if (await this.act('merge', { into: Number(into) }, this.t.casework.done.merged(target.service_request_id))) form.reset();
      return;
    }
    if (Number(into) === Number(this.requestId)) return void (this.mergeTarget = 'self');
    try {
      this.mergeTarget = await this.api.get<RequestDoc>(this.path(`requests/${Number(into)}`));
    } catch (err) {
      if (!(err instanceof AdminError) || err.status !== 404) throw err;
      this.mergeTarget = 'unknown';
    }
  };

  /** An answer as the question and the choices' names say it (the codes when the catalogue no longer has them). */
  private answer(a: RequestDoc['attributes'][number]) {
    const question = this.questions.find((q) => q.code === a.code);
    const value = (v: string) => localized(question?.values?.find((x) => x.key === v)?.name, this.t.locale) || v;
    return html`<li><strong>${localized(question?.description, this.t.locale) || a.code}</strong> : ${a.values.map(value).join(', ')}</li>`;
  }

  /** Reads the request again (and what words it): after it was opened, or changed from elsewhere. */
  async load() {
    if (!this.jurisdiction || !this.requestId) return;
    // All at once, so the request is shown with its answers worded, its department named, its templates offered.
    const loaded = await this.run(() => Promise.all([
      this.api.get<RequestDoc>(this.path(`requests/${this.requestId}`)), this.api.get<OfferedTemplates>(this.path(`requests/${this.requestId}/templates`)),
      this.api.get<CatalogueDoc>(this.path('catalogue')), this.api.get<{ departments: { id: string; name: string }[] }>(this.path('routing')),
    ]), '');
    if (!loaded) return;
    const [request, offered, catalogue, routing] = loaded;
    this.offered = offered;
    this.departments = routing.departments;
    this.questions = catalogue.services.find((s) => s.code === request.service_code)?.attributes ?? [];
    this.chosenStatus = request.detailed_status;
    this.request = request;
    this.dispatchEvent(new RequestShownEvent(request, false));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'georeport-admin-request': AdminRequestPage;
  }
}
