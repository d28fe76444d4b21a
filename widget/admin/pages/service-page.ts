import { html, nothing, type PropertyValues } from 'lit';
import { AdminPage } from '../admin-page.ts';
import { inLang, type AttributeDoc, type CatalogueDoc, type ServiceDoc, type Text } from '../catalogue-doc.ts';

const DATATYPES = ['string', 'text', 'number', 'datetime', 'singlevaluelist', 'multivaluelist'] as const;
const TYPES = ['realtime', 'batch', 'blackbox'] as const;
/** French and English texts back into the catalogue's shape (a plain string when only French is given; nothing when neither). */
const texts = (fr: string, en: string): Text | undefined => (en ? { fr, en } : fr || undefined);
const valueOf = (e: Event) => (e.target as HTMLInputElement).value;
/** Choices typed one per line as `key=Name` (a line without `=` is both), as key → name. */
const parseLines = (text: string) => new Map(text.split('\n').map((l) => l.trim()).filter(Boolean)
  .map((l) => [l.split('=')[0]!.trim(), (l.split('=').slice(1).join('=') || l).trim()] as const));
/** The choices as typed, per language: the French list names them, the English one translates its keys. */
interface Choices { fr: string; en: string }
/** A question being edited: its choices kept as typed, so the text never changes under the typist's fingers. */
type DraftAttribute = AttributeDoc & { choices?: Choices };
const choicesOf = (a: AttributeDoc): Choices => ({
  fr: (a.values ?? []).map((v) => `${v.key}=${inLang(v.name, 'fr')}`).join('\n'),
  en: (a.values ?? []).filter((v) => inLang(v.name, 'en')).map((v) => `${v.key}=${inLang(v.name, 'en')}`).join('\n'),
});
const valuesOf = (c: Choices) => {
  const en = parseLines(c.en);
  return [...parseLines(c.fr)].map(([key, fr]) => ({ key, name: texts(fr, en.get(key) ?? '') ?? key }));
};

/**
 * One service of the catalogue (`code` = 'new' for a new one): its names, descriptions, keywords and
 * notice in French and English, group, type, SLA, moderation, agency, whether it is offered, and its
 * questions (every datatype, choices, order, required, public or private). Saving sends the whole
 * service; the server checks it and answers every problem at once, and nothing typed is lost.
 */
export class AdminServicePage extends AdminPage {
  static override properties = { ...AdminPage.properties, code: { type: String }, doc: { state: true }, draft: { state: true } };
  declare code: string;
  declare doc: CatalogueDoc | null;
  /** The service being edited (a copy), or null when there is no such service. */
  declare draft: ServiceDoc | null;

  constructor() {
    super();
    this.code = '';
    this.doc = null;
    this.draft = null;
  }

  override willUpdate(changed: PropertyValues<this>) {
    if (changed.has('jurisdiction') && this.jurisdiction) {
      void this.run(() => this.api.get<CatalogueDoc>(this.path('catalogue')), '').then((doc) => (this.doc = doc ?? null));
    }
    if (changed.has('code') || changed.has('doc')) {
      const existing = this.doc?.services.find((s) => s.code === this.code);
      const copy = existing && structuredClone(existing);
      if (copy) copy.attributes = copy.attributes?.map((a): DraftAttribute => ({ ...a, choices: choicesOf(a) }));
      this.draft = this.code === 'new' ? { code: '', name: '', moderation: 'auto', attributes: [] } : copy ?? null;
    }
  }

  protected override heading() {
    return this.t.catalogue.editorTitle(this.code === 'new' ? '' : this.code);
  }

  protected override body() {
    const t = this.t.catalogue;
    const back = html`<p><a href="#/catalogue">${t.title}</a></p>`;
    if (!this.doc) return html`${back}<p>${this.t.loading}</p>`;
    if (!this.draft) return html`${back}<p>${t.unknown}</p>`;
    const d = this.draft;
    const set = (patch: Partial<ServiceDoc>) => (this.draft = { ...d, ...patch });
    const attrs: DraftAttribute[] = d.attributes ?? [];
    const setAttr = (i: number, patch: Partial<DraftAttribute>) => set({ attributes: attrs.map((a, k) => (k === i ? { ...a, ...patch } : a)) });
    return html`${back}
      <form @submit=${this.save}>
        <div class="row">
          <div class="field"><label for="code">${t.code}</label><input id="code" required pattern="[A-Za-z0-9][A-Za-z0-9._\\-]*" maxlength="64" .value=${d.code}
            ?readonly=${this.code !== 'new'} @input=${(e: Event) => set({ code: valueOf(e) })} /></div>
          ${this.bilingual('name', t.name, d.name, (name) => set({ name: name ?? '' }), 'input', true)}
        </div>
        ${this.bilingual('description', t.description, d.description, (description) => set({ description }), 'textarea')}
        ${this.bilingual('keywords', t.keywords, d.keywords as Text | undefined, (keywords) => set({ keywords }), 'input')}
        ${this.bilingual('notice', t.notice, d.service_notice as Text | undefined, (notice) => set({ service_notice: notice }), 'textarea')}
        <div class="row">
          <div class="field"><label for="group">${t.group}</label><select id="group" @change=${(e: Event) => set({ group: valueOf(e) || undefined })}>
            <option value="">${t.none}</option>${this.doc.groups.map((g) => html`<option value=${g.code} ?selected=${g.code === d.group}>${inLang(g.name, 'fr')}</option>`)}</select></div>
          <div class="field"><label for="type">${t.type}</label><select id="type" @change=${(e: Event) => set({ type: valueOf(e) })}>
            ${TYPES.map((x) => html`<option value=${x} ?selected=${x === (d.type ?? 'realtime')}>${t.types[x]}</option>`)}</select></div>
          <div class="field"><label for="moderation">${t.moderation}</label><select id="moderation" @change=${(e: Event) => set({ moderation: valueOf(e) as 'auto' | 'hold' })}>
            <option value="auto" ?selected=${d.moderation !== 'hold'}>${t.auto}</option><option value="hold" ?selected=${d.moderation === 'hold'}>${t.hold}</option></select></div>
          <div class="field"><label for="sla">${t.sla}</label><input id="sla" type="number" min="1" step="1" .value=${d.sla_hours === undefined ? '' : String(d.sla_hours)}
            @input=${(e: Event) => set({ sla_hours: (e.target as HTMLInputElement).value === '' ? undefined : (e.target as HTMLInputElement).valueAsNumber })} /></div>
          <div class="field"><label for="agency">${t.agency}</label><input id="agency" .value=${d.agency_responsible ?? ''} @input=${(e: Event) => set({ agency_responsible: valueOf(e) || undefined })} /></div>
        </div>
        <label class="check"><input type="checkbox" id="active" .checked=${d.active !== false} @change=${(e: Event) => set({ active: (e.target as HTMLInputElement).checked })} /> ${t.offered}</label>
        <h2>${t.attributes}</h2>
        ${attrs.map((a, i) => html`
          <fieldset><legend>${t.attribute(i + 1)}</legend>
            <div class="row">
              <div class="field"><label for=${`attr-code-${i}`}>${t.attrCode}</label><input id=${`attr-code-${i}`} required .value=${a.code} @input=${(e: Event) => setAttr(i, { code: valueOf(e) })} /></div>
              <div class="field"><label for=${`attr-type-${i}`}>${t.datatype}</label><select id=${`attr-type-${i}`} @change=${(e: Event) => setAttr(i, { datatype: valueOf(e) })}>
                ${DATATYPES.map((x) => html`<option value=${x} ?selected=${x === a.datatype}>${t.datatypes[x]}</option>`)}</select></div>
            </div>
            ${this.bilingual(`attr-q-${i}`, t.question, a.description, (description) => setAttr(i, { description }), 'input')}
            ${a.datatype.endsWith('valuelist') ? this.choices(i, a.choices ?? { fr: '', en: '' }, (choices) => setAttr(i, { choices, values: valuesOf(choices) })) : nothing}
            <label class="check"><input type="checkbox" .checked=${!!a.required} @change=${(e: Event) => setAttr(i, { required: (e.target as HTMLInputElement).checked })} /> ${t.required}</label>
            <label class="check"><input type="checkbox" .checked=${a.public !== false} @change=${(e: Event) => setAttr(i, { public: (e.target as HTMLInputElement).checked })} /> ${t.isPublic}</label>
            <p class="row">
              <button type="button" class="secondary" ?disabled=${i === 0} @click=${() => set({ attributes: this.moved(attrs, i, -1) })}>${t.up}</button>
              <button type="button" class="secondary" ?disabled=${i === attrs.length - 1} @click=${() => set({ attributes: this.moved(attrs, i, 1) })}>${t.down}</button>
              <button type="button" class="secondary" @click=${() => set({ attributes: this.numbered(attrs.filter((_, k) => k !== i)) })}>${t.removeAttribute}</button></p>
          </fieldset>`)}
        <p class="row">
          <button type="button" class="secondary" id="add-attribute" @click=${() => set({ attributes: [...attrs, { code: '', datatype: 'string', order: attrs.length + 1 }] })}>${t.addAttribute}</button>
          <button type="submit">${t.save}</button></p>
      </form>
    `;
  }

  /** A text's French and English fields (`{id}-fr`, `{id}-en`); the French one required when `required`. */
  private bilingual(id: string, label: (lang: string) => string, value: Text | undefined, change: (v: Text | undefined) => void, kind: 'input' | 'textarea', required = false) {
    const [fr, en] = [inLang(value, 'fr'), inLang(value, 'en')];
    const field = (lang: 'fr' | 'en', current: string, update: (v: string) => Text | undefined) => html`<div class="field">
      <label for=${`${id}-${lang}`}>${label(lang)}</label>
      ${kind === 'input'
        ? html`<input id=${`${id}-${lang}`} ?required=${required && lang === 'fr'} .value=${current} @input=${(e: Event) => change(update(valueOf(e)))} />`
        : html`<textarea id=${`${id}-${lang}`} .value=${current} @input=${(e: Event) => change(update(valueOf(e)))}></textarea>`}</div>`;
    return html`${field('fr', fr, (v) => texts(v, en))}${field('en', en, (v) => texts(fr, v))}`;
  }

  /** A list question's choices: in French (`attr-values-{i}`, naming the keys) and in English (`attr-values-{i}-en`). */
  private choices(i: number, choices: Choices, change: (c: Choices) => void) {
    const t = this.t.catalogue;
    return html`
      <div class="field"><label for=${`attr-values-${i}`}>${t.values}</label>
        <textarea id=${`attr-values-${i}`} .value=${choices.fr} @input=${(e: Event) => change({ ...choices, fr: valueOf(e) })}></textarea></div>
      <div class="field"><label for=${`attr-values-${i}-en`}>${t.valuesEn}</label>
        <textarea id=${`attr-values-${i}-en`} .value=${choices.en} @input=${(e: Event) => change({ ...choices, en: valueOf(e) })}></textarea></div>`;
  }

  private numbered(attrs: AttributeDoc[]) {
    return attrs.map((a, k) => ({ ...a, order: k + 1 }));
  }

  private moved(attrs: AttributeDoc[], i: number, by: number) {
    const copy = [...attrs];
    [copy[i], copy[i + by]] = [copy[i + by]!, copy[i]!];
    return this.numbered(copy);
  }

  private save = async (e: Event) => {
    e.preventDefault();
    const d = this.draft!;
    const service = { ...d, attributes: d.attributes?.map(({ choices: _typed, ...a }: DraftAttribute) => a) };
    const saved = await this.run(() => this.api.put<CatalogueDoc>(this.path(`services/${encodeURIComponent(d.code)}`), service));
    if (saved) {
      this.doc = saved;
      if (this.code !== d.code) location.hash = `#/catalogue/${d.code}`;
    }
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'georeport-admin-service': AdminServicePage;
  }
}
