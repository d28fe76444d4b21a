import { html, nothing, type PropertyValues } from 'lit';
import { AdminPage } from '../admin-page.ts';
import { inLang, STATUSES, type CatalogueDoc, type ResponseTemplate as Template } from '../catalogue-doc.ts';

/**
 * The catalogue: its services in the order residents see them (offered or retired; administrators move
 * them up and down and open each in its editor), its groups, the response templates agents answer with,
 * and the whole catalogue as an Open311 JSON document to download or to import.
 */
export class AdminCataloguePage extends AdminPage {
  static override properties = { ...AdminPage.properties, doc: { state: true }, templates: { state: true } };
  declare doc: CatalogueDoc | null;
  declare templates: Template[];

  constructor() {
    super();
    this.doc = null;
    this.templates = [];
  }

  override willUpdate(changed: PropertyValues<this>) {
    if (changed.has('jurisdiction') && this.jurisdiction) {
      void this.run(() => Promise.all([this.api.get<CatalogueDoc>(this.path('catalogue')), this.api.get<{ templates: Template[] }>(this.path('templates'))]), '').then((loaded) => {
        if (loaded) [this.doc, this.templates] = [loaded[0], loaded[1].templates];
      });
    }
  }

  /** Runs a call answering the catalogue as it now is, and shows it. */
  private async change(call: () => Promise<CatalogueDoc>, done?: string) {
    const doc = await this.run(call, done);
    if (doc) this.doc = doc;
    return doc;
  }

  protected override heading() {
    return this.t.catalogue.title;
  }

  protected override body() {
    const doc = this.doc;
    if (!doc) return html`<p>${this.t.loading}</p>`;
    const t = this.t.catalogue;
    const admin = this.staffRole === 'administrator';
    const last = doc.services.length - 1;
    return html`
      ${admin ? html`<p><a class="button" href="#/catalogue/new">${t.add}</a></p>` : nothing}
      <table><caption>${t.services}</caption>
        <thead><tr><th scope="col">${t.code}</th><th scope="col">${t.name('fr')}</th><th scope="col">${t.group}</th><th scope="col">${t.moderation}</th>
          <th scope="col">${t.active}</th>${admin ? html`<th scope="col">${t.actions}</th>` : nothing}</tr></thead>
        <tbody>${doc.services.map((s, i) => html`<tr><td>${s.code}</td><td>${inLang(s.name, 'fr')}</td><td>${s.group ?? ''}</td>
          <td>${s.moderation === 'hold' ? t.hold : t.auto}</td><td>${s.active === false ? t.retired : t.active}</td>
          ${admin ? html`<td><div class="row">
            <a href=${`#/catalogue/${s.code}`} aria-label=${`${t.edit} ${s.code}`}>${t.edit}</a>
            <button type="button" class="secondary" ?disabled=${i === 0} aria-label=${`${t.up} ${s.code}`} @click=${() => this.move(i, -1)}>${t.up}</button>
            <button type="button" class="secondary" ?disabled=${i === last} aria-label=${`${t.down} ${s.code}`} @click=${() => this.move(i, 1)}>${t.down}</button>
          </div></td>` : nothing}</tr>`)}</tbody>
      </table>
      ${admin ? html`${this.groups(doc)}${this.templatesForm(doc)}${this.importExport()}` : nothing}
    `;
  }

  private groups(doc: CatalogueDoc) {
    const t = this.t.catalogue;
    return html`
      <h2 id="groups-title">${t.groups}</h2>
      <table aria-labelledby="groups-title">
        <thead><tr><th scope="col">${t.code}</th><th scope="col">${t.name('fr')}</th><th scope="col">${t.name('en')}</th></tr></thead>
        <tbody>${doc.groups.map((g) => html`<tr><td>${g.code}</td><td>${inLang(g.name, 'fr')}</td><td>${inLang(g.name, 'en')}</td></tr>`)}</tbody>
      </table>
      <form class="row" @submit=${this.saveGroup}>
        <div class="field"><label for="group-code">${t.code}</label><input id="group-code" name="code" required pattern="[A-Za-z0-9][A-Za-z0-9._\\-]*" maxlength="64" list="group-codes" />
          <datalist id="group-codes">${doc.groups.map((g) => html`<option value=${g.code}></option>`)}</datalist></div>
        <div class="field"><label for="group-fr">${t.name('fr')}</label><input id="group-fr" name="fr" required /></div>
        <div class="field"><label for="group-en">${t.name('en')}</label><input id="group-en" name="en" /></div>
        <button type="submit">${t.saveGroup}</button>
      </form>`;
  }

  private templatesForm(doc: CatalogueDoc) {
    const t = this.t.catalogue;
    const name = (code: string) => inLang(doc.services.find((s) => s.code === code)?.name, 'fr') || code;
    return html`
      <h2 id="templates-title">${t.templates}</h2>
      ${this.templates.length ? html`<table aria-labelledby="templates-title">
        <thead><tr><th scope="col">${this.t.request.category}</th><th scope="col">${t.templateStatus}</th><th scope="col">${t.templateLocale}</th><th scope="col">${t.template}</th></tr></thead>
        <tbody>${this.templates.map((x) => html`<tr><td>${name(x.service_code)}</td><td>${this.t.statuses[x.detailed_status]}</td><td>${x.locale}</td>
          <td class="pre">${x.text}</td></tr>`)}</tbody></table>` : nothing}
      <p class="muted">${t.templateHelp}</p>
      <form @submit=${this.saveTemplate} aria-labelledby="templates-title">
        <div class="row">
          <div class="field"><label for="tpl-service">${this.t.request.category}</label><select id="tpl-service" name="service_code">${doc.services.map((s) => html`<option value=${s.code}>${inLang(s.name, 'fr')}</option>`)}</select></div>
          <div class="field"><label for="tpl-status">${t.templateStatus}</label><select id="tpl-status" name="detailed_status">${STATUSES.map((s) => html`<option value=${s}>${this.t.statuses[s]}</option>`)}</select></div>
          <div class="field"><label for="tpl-locale">${t.templateLocale}</label><select id="tpl-locale" name="locale"><option value="fr">Français</option><option value="en">English</option></select></div>
        </div>
        <div class="field"><label for="tpl-text">${t.template}</label><textarea id="tpl-text" name="text"></textarea></div>
        <button type="submit">${t.saveTemplate}</button>
      </form>`;
  }

  private importExport() {
    const t = this.t.catalogue;
    return html`
      <h2>${t.document}</h2>
      <p><a class="button secondary" href=${`/admin/api/${this.path('catalogue')}`} download=${`catalogue-${this.jurisdiction}.json`}>${t.export}</a></p>
      <form class="row" @submit=${this.import}>
        <div class="field"><label for="import-file">${t.importFile}</label><input id="import-file" name="file" type="file" accept=".json,application/json" required /></div>
        <button type="submit">${t.import}</button>
      </form>`;
  }

  private move(i: number, by: number) {
    const codes = this.doc!.services.map((s) => s.code);
    [codes[i], codes[i + by]] = [codes[i + by]!, codes[i]!];
    void this.change(() => this.api.post<CatalogueDoc>(this.path('services/order'), { codes }));
  }

  private saveGroup = async (e: Event) => {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const [code, fr, en] = ['code', 'fr', 'en'].map((n) => this.value(form, n).trim()) as [string, string, string];
    if (await this.change(() => this.api.put<CatalogueDoc>(this.path(`groups/${encodeURIComponent(code)}`), { code, name: en ? { fr, en } : fr }))) form.reset();
  };

  private saveTemplate = async (e: Event) => {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const saved = await this.run(() => this.api.put<{ templates: Template[] }>(this.path('templates'), Object.fromEntries(['service_code', 'detailed_status', 'locale', 'text'].map((k) => [k, this.value(form, k)]))));
    if (saved) this.templates = saved.templates;
  };

  private import = async (e: Event) => {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const file = (form.elements.namedItem('file') as HTMLInputElement).files![0]!;
    let doc: unknown;
    try {
      doc = JSON.parse(await file.text());
    } catch {
      this.problems = [];
      this.message = this.t.catalogue.notJson(file.name);
      return;
    }
    if (await this.change(() => this.api.put<CatalogueDoc>(this.path('catalogue'), doc))) form.reset();
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'georeport-admin-catalogue': AdminCataloguePage;
  }
}
