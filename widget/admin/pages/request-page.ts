import { html, nothing, type PropertyValues } from 'lit';
import { AdminPage } from '../admin-page.ts';
import { localized, STATUSES, type AttributeDoc, type CatalogueDoc, type ResponseTemplate as Template } from '../catalogue-doc.ts';


interface Full {
  service_request_id: string;
  service_code: string;
  service_name: string;
  status: string;
  detailed_status: string;
  visibility: string;
  title: string | null;
  description: string | null;
  address: string | null;
  lat: number | null;
  long: number | null;
  assigned_department: number | null;
  channel: string;
  requested_datetime: string;
  expected_datetime: string | null;
  external_id: string | null;
  followers: number;
  reporter: { kind: string; email: string | null; first_name: string | null; last_name: string | null; phone: string | null; organisation: string | null } | null;
  attributes: { code: string; values: string[] }[];
  media: { id: string; media: string; hidden: boolean }[];
  history: { id: string; type: string; detailed_status: string | null; note: string | null; public: boolean; actor: string; datetime: string }[];
}

/**
 * One request as staff handle it: what was reported (with the reporter and the answers), its photos,
 * its whole history, and, for agents, the status with the service's response templates, notes, and the
 * moderation steps (publish, reject with a reason, edit out personal data, hide a photo, merge).
 */
export class AdminRequestPage extends AdminPage {
  static override properties = {
    ...AdminPage.properties, requestId: { type: String, attribute: 'request-id' }, request: { state: true }, templates: { state: true }, questions: { state: true },
    departments: { state: true },
  };
  /** The departments of the town, to assign the request to. */
  declare departments: { id: string; name: string }[];
  /** The questions of the request's category, to word its answers. */
  declare questions: AttributeDoc[];
  declare requestId: string;
  declare request: Full | null;
  declare templates: Template[];

  constructor() {
    super();
    this.requestId = '';
    this.request = null;
    this.templates = [];
    this.questions = [];
    this.departments = [];
  }

  override willUpdate(changed: PropertyValues<this>) {
    if (changed.has('requestId') || changed.has('jurisdiction')) void this.load();
  }

  protected override heading() {
    const r = this.request;
    return r ? `${this.t.request.title(r.service_request_id)} · ${r.service_name}` : this.t.request.title(this.requestId);
  }

  protected override body() {
    const t = this.t.request;
    const r = this.request;
    if (!r) return html`<p>${this.t.loading}</p>`;
    const when = (iso: string) => new Date(iso).toLocaleString(document.documentElement.lang || 'fr');
    const person = r.reporter && [r.reporter.first_name, r.reporter.last_name, r.reporter.organisation, r.reporter.email, r.reporter.phone].filter(Boolean).join(' · ');
    const agent = this.staffRole !== 'readonly';
    return html`
      <p><a href="#/requests">${t.back}</a></p>
      <table><caption>${t.title(r.service_request_id)}</caption><tbody>
        <tr><th scope="row">${t.status}</th><td>${this.t.statuses[r.detailed_status]}</td></tr>
        <tr><th scope="row">${t.visibility}</th><td>${this.t.visibilities[r.visibility]}</td></tr>
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
      ${r.attributes.length ? html`<h2>${t.attributes}</h2><ul>${r.attributes.map((a) => this.answer(a))}</ul>` : nothing}
      ${r.media.length ? html`<h2>${t.photos}</h2><ul class="photos">${r.media.map((m, i) => html`<li>
        <img src=${m.media.startsWith('http') ? m.media : `/media/${m.media}`} alt=${`${t.photos} ${i + 1}`} />
        ${m.hidden ? html`<span class="muted">${t.hidden}</span>` : agent ? html`<button type="button" class="secondary" @click=${() => this.act(`media/${m.id}/hide`)}>${t.hide}</button>` : nothing}
      </li>`)}</ul>` : nothing}
      <h2>${t.history}</h2>
      <ol class="history">${r.history.map((e) => html`<li>${when(e.datetime)} — ${this.t.events[e.type] ?? e.type}${e.detailed_status ? ` · ${this.t.statuses[e.detailed_status]}` : ''}
        (${e.public ? t.public : t.internal}, ${e.actor})${e.note ? html`<br /><span class="pre">${e.note}</span>` : nothing}</li>`)}</ol>
      ${agent ? this.actions(r) : nothing}
    `;
  }

  private actions(r: Full) {
    const t = this.t.request;
    const lang = (document.documentElement.lang || 'fr').slice(0, 2);
    return html`
      <form @submit=${this.saveStatus} aria-labelledby="status-title">
        <h2 id="status-title">${t.statusTitle}</h2>
        <div class="field"><label for="new-status">${t.newStatus}</label>
          <select id="new-status" name="detailed_status" @change=${() => this.requestUpdate()}>
            ${STATUSES.map((s) => html`<option value=${s} ?selected=${s === r.detailed_status}>${this.t.statuses[s]}</option>`)}</select></div>
        <div class="field"><label for="status-note">${t.note}</label><textarea id="status-note" name="note"></textarea></div>
        <p class="row">
          <button type="button" class="secondary" id="use-template" @click=${() => this.useTemplate(r, lang)}>${t.useTemplate}</button>
          <button type="submit">${t.save}</button></p>
      </form>
      <form @submit=${this.assign} aria-labelledby="assign-title">
        <h2 id="assign-title">${t.assignTitle}</h2>
        <div class="field"><label for="department">${t.department}</label>
          <select id="department" name="department_id"><option value="">${t.noDepartment}</option>
            ${this.departments.map((d) => html`<option value=${d.id} ?selected=${Number(d.id) === r.assigned_department}>${d.name}</option>`)}</select></div>
        <button type="submit">${t.assign}</button>
      </form>
      <form @submit=${this.addNote} aria-labelledby="note-title">
        <h2 id="note-title">${t.noteTitle}</h2>
        <div class="field"><label for="note-text">${t.noteText}</label><textarea id="note-text" name="note" required></textarea></div>
        <label class="check"><input type="checkbox" name="public" /> ${t.notePublic}</label>
        <button type="submit">${t.addNote}</button>
      </form>
      <h2>${t.moderation}</h2>
      ${r.visibility === 'pending' ? html`<p><button type="button" id="publish" @click=${() => this.act('publish')}>${t.publish}</button></p>` : nothing}
      <form @submit=${this.reject} aria-label=${t.reject}>
        <div class="field"><label for="reason">${t.reason}</label>
          <select id="reason" name="reason">${t.reasons.map((x) => html`<option>${x}</option>`)}</select></div>
        <button type="submit" class="secondary">${t.reject}</button>
      </form>
      <form @submit=${this.edit} aria-label=${t.edit}>
        <fieldset><legend>${t.edit}</legend>
          <div class="field"><label for="edit-title">${t.titleField}</label><input id="edit-title" name="title" .value=${r.title ?? ''} /></div>
          <div class="field"><label for="edit-description">${t.description}</label><textarea id="edit-description" name="description" .value=${r.description ?? ''}></textarea></div>
          <div class="field"><label for="edit-address">${t.address}</label><input id="edit-address" name="address" .value=${r.address ?? ''} /></div>
          <button type="submit" class="secondary">${t.saveEdit}</button></fieldset>
      </form>
      <form @submit=${this.merge} aria-label=${t.merge}>
        <div class="field"><label for="merge-into">${t.mergeInto}</label><input id="merge-into" name="into" inputmode="numeric" pattern="[0-9]+" required /></div>
        <button type="submit" class="secondary">${t.doMerge}</button>
      </form>
    `;
  }

  private useTemplate(r: Full, lang: string) {
    const status = (this.renderRoot.querySelector('#new-status') as HTMLSelectElement).value;
    const found = this.templates.find((x) => x.service_code === r.service_code && x.detailed_status === status && x.locale === lang)
      ?? this.templates.find((x) => x.service_code === r.service_code && x.detailed_status === status);
    if (found) (this.renderRoot.querySelector('#status-note') as HTMLTextAreaElement).value = found.text;
  }

  private async act(what: string, body: unknown = {}) {
    const updated = await this.run(() => this.api.post<Full>(this.path(`requests/${this.requestId}/${what}`), body));
    if (updated) this.request = updated;
  }

  private saveStatus = (e: Event) => {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    void this.act('status', { detailed_status: this.value(form, 'detailed_status'), note: this.value(form, 'note') || undefined });
  };

  private assign = (e: Event) => {
    e.preventDefault();
    void this.act('assign', { department_id: this.value(e.target as HTMLFormElement, 'department_id') || null });
  };

  private addNote = (e: Event) => {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    void this.act('notes', { note: this.value(form, 'note'), public: (form.elements.namedItem('public') as HTMLInputElement).checked }).then(() => form.reset());
  };

  private reject = (e: Event) => {
    e.preventDefault();
    void this.act('reject', { reason: this.value(e.target as HTMLFormElement, 'reason') });
  };

  private edit = (e: Event) => {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    void this.act('edit', Object.fromEntries(['title', 'description', 'address'].map((k) => [k, this.value(form, k) || undefined])));
  };

  private merge = (e: Event) => {
    e.preventDefault();
    void this.act('merge', { into: Number(this.value(e.target as HTMLFormElement, 'into')) });
  };

  /** An answer as the question and the choices' names say it (the codes when the catalogue no longer has them). */
  private answer(a: Full['attributes'][number]) {
    const question = this.questions.find((q) => q.code === a.code);
    const value = (v: string) => localized(question?.values?.find((x) => x.key === v)?.name) || v;
    return html`<li><strong>${localized(question?.description) || a.code}</strong> : ${a.values.map(value).join(', ')}</li>`;
  }

  private async load() {
    if (!this.jurisdiction || !this.requestId) return;
    // All at once, so the request is shown with its answers worded and its department named.
    const loaded = await this.run(() => Promise.all([
      this.api.get<Full>(this.path(`requests/${this.requestId}`)), this.api.get<{ templates: Template[] }>(this.path('templates')),
      this.api.get<CatalogueDoc>(this.path('catalogue')), this.api.get<{ departments: { id: string; name: string }[] }>(this.path('routing')),
    ]), '');
    if (!loaded) return;
    const [request, templates, catalogue, routing] = loaded;
    this.templates = templates.templates;
    this.departments = routing.departments;
    this.questions = catalogue.services.find((s) => s.code === request.service_code)?.attributes ?? [];
    this.request = request;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'georeport-admin-request': AdminRequestPage;
  }
}
