import { html, nothing, type PropertyValues } from 'lit';
import { AdminPage } from '../admin-page.ts';
import { inLang, STATUSES, type AttributeDoc, type CatalogueDoc, type ServiceDoc, type Text } from '../catalogue-doc.ts';

const DATATYPES = ['string', 'text', 'number', 'datetime', 'singlevaluelist', 'multivaluelist'] as const;
/** French and English texts back into the catalogue's shape (a plain string when only French is given). */
const texts = (fr: string, en: string): Text => (en ? { fr, en } : fr);

/**
 * The catalogue: its services (offered or retired), an editor for one service and its questions (every
 * datatype, choices, order, required, public or private), and the response templates agents answer
 * with. Saving sends the whole service; the server checks it and answers every problem at once.
 */
export class AdminCataloguePage extends AdminPage {
  static override properties = { ...AdminPage.properties, code: { type: String }, doc: { state: true }, draft: { state: true } };
  declare code: string;
  declare doc: CatalogueDoc | null;
  /** The service being edited (a copy), or null on the list. */
  declare draft: ServiceDoc | null;

  constructor() {
    super();
    this.code = '';
    this.doc = null;
    this.draft = null;
  }

  override willUpdate(changed: PropertyValues<this>) {
    if (changed.has('jurisdiction')) void this.load();
    if (changed.has('code') || changed.has('doc')) {
      const existing = this.doc?.services.find((s) => s.code === this.code);
      this.draft = this.code === 'new' ? { code: '', name: '', moderation: 'auto', attributes: [] } : existing ? structuredClone(existing) : null;
    }
  }

  protected override heading() {
    const t = this.t.catalogue;
    return this.draft ? t.editorTitle(this.code === 'new' ? '' : this.draft.code) : t.title;
  }

  protected override body() {
    if (!this.doc) return html`<p>${this.t.loading}</p>`;
    return this.draft ? this.editor(this.draft) : this.list(this.doc);
  }

  private list(doc: CatalogueDoc) {
    const t = this.t.catalogue;
    const admin = this.staffRole === 'administrator';
    return html`
      ${admin ? html`<p><a class="button" href="#/catalogue/new">${t.add}</a></p>` : nothing}
      <table><caption>${t.services}</caption>
        <thead><tr><th scope="col">${t.code}</th><th scope="col">${t.nameFr}</th><th scope="col">${t.group}</th><th scope="col">${t.moderation}</th><th scope="col">${t.active}</th>${admin ? html`<th scope="col"><span class="muted">${t.edit}</span></th>` : nothing}</tr></thead>
        <tbody>${doc.services.map((s) => html`<tr><td>${s.code}</td><td>${inLang(s.name, 'fr')}</td><td>${s.group ?? ''}</td>
          <td>${s.moderation === 'hold' ? t.hold : t.auto}</td><td>${s.active === false ? t.retired : t.active}</td>
          ${admin ? html`<td><a href=${`#/catalogue/${s.code}`} aria-label=${`${t.edit} ${s.code}`}>${t.edit}</a></td>` : nothing}</tr>`)}</tbody>
      </table>
      ${admin ? this.templatesForm(doc) : nothing}
    `;
  }

  private editor(d: ServiceDoc) {
    const t = this.t.catalogue;
    const set = (patch: Partial<ServiceDoc>) => (this.draft = { ...d, ...patch });
    const attrs = d.attributes ?? [];
    const setAttr = (i: number, patch: Partial<AttributeDoc>) => set({ attributes: attrs.map((a, k) => (k === i ? { ...a, ...patch } : a)) });
    const input = (e: Event) => (e.target as HTMLInputElement).value;
    return html`
      <p><a href="#/catalogue">${t.title}</a></p>
      <form @submit=${this.save}>
        <div class="row">
          <div class="field"><label for="code">${t.code}</label><input id="code" required pattern="[A-Za-z0-9][A-Za-z0-9._\\-]*" .value=${d.code} ?readonly=${this.code !== 'new'} @input=${(e: Event) => set({ code: input(e) })} /></div>
          <div class="field"><label for="name-fr">${t.nameFr}</label><input id="name-fr" required .value=${inLang(d.name, 'fr')} @input=${(e: Event) => set({ name: texts(input(e), inLang(d.name, 'en')) })} /></div>
          <div class="field"><label for="name-en">${t.nameEn}</label><input id="name-en" .value=${inLang(d.name, 'en')} @input=${(e: Event) => set({ name: texts(inLang(d.name, 'fr'), input(e)) })} /></div>
        </div>
        <div class="field"><label for="description-fr">${t.descriptionFr}</label><textarea id="description-fr" .value=${inLang(d.description, 'fr')} @input=${(e: Event) => set({ description: texts(input(e), inLang(d.description, 'en')) })}></textarea></div>
        <div class="field"><label for="description-en">${t.descriptionEn}</label><textarea id="description-en" .value=${inLang(d.description, 'en')} @input=${(e: Event) => set({ description: texts(inLang(d.description, 'fr'), input(e)) })}></textarea></div>
        <div class="row">
          <div class="field"><label for="group">${t.group}</label><select id="group" @change=${(e: Event) => set({ group: input(e) || undefined })}>
            <option value="">${t.none}</option>${this.doc!.groups.map((g) => html`<option value=${g.code} ?selected=${g.code === d.group}>${inLang(g.name, 'fr')}</option>`)}</select></div>
          <div class="field"><label for="moderation">${t.moderation}</label><select id="moderation" @change=${(e: Event) => set({ moderation: input(e) as 'auto' | 'hold' })}>
            <option value="auto" ?selected=${d.moderation !== 'hold'}>${t.auto}</option><option value="hold" ?selected=${d.moderation === 'hold'}>${t.hold}</option></select></div>
          <div class="field"><label for="sla">${t.sla}</label><input id="sla" inputmode="numeric" .value=${d.sla_hours === undefined ? '' : String(d.sla_hours)}
            @input=${(e: Event) => set({ sla_hours: input(e) ? Number(input(e)) : undefined })} /></div>
          <div class="field"><label for="agency">${t.agency}</label><input id="agency" .value=${d.agency_responsible ?? ''} @input=${(e: Event) => set({ agency_responsible: input(e) || undefined })} /></div>
        </div>
        <label class="check"><input type="checkbox" id="active" .checked=${d.active !== false} @change=${(e: Event) => set({ active: (e.target as HTMLInputElement).checked })} /> ${t.offered}</label>
        <h2>${t.attributes}</h2>
        ${attrs.map((a, i) => html`
          <fieldset><legend>${t.attribute(i + 1)}</legend>
            <div class="row">
              <div class="field"><label for=${`attr-code-${i}`}>${t.attrCode}</label><input id=${`attr-code-${i}`} required .value=${a.code} @input=${(e: Event) => setAttr(i, { code: input(e) })} /></div>
              <div class="field"><label for=${`attr-type-${i}`}>${t.datatype}</label><select id=${`attr-type-${i}`} @change=${(e: Event) => setAttr(i, { datatype: input(e) })}>
                ${DATATYPES.map((x) => html`<option value=${x} ?selected=${x === a.datatype}>${t.datatypes[x]}</option>`)}</select></div>
            </div>
            <div class="field"><label for=${`attr-q-${i}`}>${t.descriptionQ}</label><input id=${`attr-q-${i}`} .value=${inLang(a.description, 'fr')} @input=${(e: Event) => setAttr(i, { description: texts(input(e), inLang(a.description, 'en')) })} /></div>
            <div class="field"><label for=${`attr-q-en-${i}`}>${t.descriptionQEn}</label><input id=${`attr-q-en-${i}`} .value=${inLang(a.description, 'en')} @input=${(e: Event) => setAttr(i, { description: texts(inLang(a.description, 'fr'), input(e)) })} /></div>
            ${a.datatype.endsWith('valuelist') ? html`<div class="field"><label for=${`attr-values-${i}`}>${t.values}</label>
              <textarea id=${`attr-values-${i}`} .value=${(a.values ?? []).map((v) => `${v.key}=${inLang(v.name, 'fr')}`).join('\n')}
                @input=${(e: Event) => setAttr(i, { values: input(e).split('\n').map((l) => l.trim()).filter(Boolean).map((l) => ({ key: l.split('=')[0]!.trim(), name: (l.split('=').slice(1).join('=') || l).trim() })) })}></textarea></div>` : nothing}
            <label class="check"><input type="checkbox" .checked=${!!a.required} @change=${(e: Event) => setAttr(i, { required: (e.target as HTMLInputElement).checked })} /> ${t.required}</label>
            <label class="check"><input type="checkbox" .checked=${a.public !== false} @change=${(e: Event) => setAttr(i, { public: (e.target as HTMLInputElement).checked })} /> ${t.isPublic}</label>
            <button type="button" class="secondary" @click=${() => set({ attributes: attrs.filter((_, k) => k !== i).map((x, k) => ({ ...x, order: k + 1 })) })}>${t.removeAttribute}</button>
          </fieldset>`)}
        <p class="row">
          <button type="button" class="secondary" id="add-attribute" @click=${() => set({ attributes: [...attrs, { code: '', datatype: 'string', order: attrs.length + 1 }] })}>${t.addAttribute}</button>
          <button type="submit">${t.save}</button></p>
      </form>
    `;
  }

  private templatesForm(doc: CatalogueDoc) {
    const t = this.t.catalogue;
    return html`
      <form @submit=${this.saveTemplate}>
        <h2>${t.templates}</h2>
        <div class="row">
          <div class="field"><label for="tpl-service">${t.services}</label><select id="tpl-service" name="service_code">${doc.services.map((s) => html`<option value=${s.code}>${inLang(s.name, 'fr')}</option>`)}</select></div>
          <div class="field"><label for="tpl-status">${t.templateStatus}</label><select id="tpl-status" name="detailed_status">${STATUSES.map((s) => html`<option value=${s}>${this.t.statuses[s]}</option>`)}</select></div>
          <div class="field"><label for="tpl-locale">${t.templateLocale}</label><select id="tpl-locale" name="locale"><option value="fr">Français</option><option value="en">English</option></select></div>
        </div>
        <div class="field"><label for="tpl-text">${t.template}</label><textarea id="tpl-text" name="text"></textarea></div>
        <button type="submit">${t.saveTemplate}</button>
      </form>
    `;
  }

  private save = async (e: Event) => {
    e.preventDefault();
    const d = this.draft!;
    const saved = await this.run(() => this.api.put<CatalogueDoc>(this.path(`services/${encodeURIComponent(d.code)}`), d));
    if (saved) {
      this.doc = saved;
      location.hash = `#/catalogue/${d.code}`;
    }
  };

  private saveTemplate = (e: Event) => {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    void this.run(() => this.api.put(this.path('templates'), Object.fromEntries(['service_code', 'detailed_status', 'locale', 'text'].map((k) => [k, this.value(form, k)]))));
  };

  private async load() {
    if (this.jurisdiction) this.doc = (await this.run(() => this.api.get<CatalogueDoc>(this.path('catalogue')), '')) ?? null;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'georeport-admin-catalogue': AdminCataloguePage;
  }
}
