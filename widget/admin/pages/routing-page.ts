import { html, nothing, type PropertyValues } from 'lit';
import { AdminPage } from '../admin-page.ts';
import { localized, type CatalogueDoc } from '../catalogue-doc.ts';

interface Department { id: string; name: string; agency: string | null; zone: unknown; bus_app_id: number | null }
interface Rule { service_code: string | null; department: string }
interface Routing { area: unknown; outside: 'refuse' | 'refer'; refer_note: string | null; outside_message: { fr: string | null; en: string | null }; departments: Department[]; rules: Rule[] }

/**
 * Routing (administrators): the town's area (a GeoJSON file) and what happens to a report outside it
 * (refused, or referred with a note to the resident); the departments, each with its agency, bus app and
 * zone (a GeoJSON file); and the ordered rules, the first matching one giving a new report its department.
 */
export class AdminRoutingPage extends AdminPage {
  static override properties = { ...AdminPage.properties, routing: { state: true }, rules: { state: true }, services: { state: true }, apps: { state: true } };
  declare routing: Routing | null;
  /** The rules being edited (saved together). */
  declare rules: Rule[];
  declare services: { code: string; name: string }[];
  declare apps: { id: string; name: string }[];

  constructor() {
    super();
    this.routing = null;
    this.rules = [];
    this.services = [];
    this.apps = [];
  }

  override willUpdate(changed: PropertyValues<this>) {
    if (changed.has('jurisdiction') && this.jurisdiction) void this.load();
  }

  private async load() {
    await this.run(async () => {
      const [routing, catalogue, bus] = await Promise.all([
        this.api.get<Routing>(this.path('routing')), this.api.get<CatalogueDoc>(this.path('catalogue')), this.api.get<{ apps: { id: string; name: string }[] }>(this.path('bus')),
      ]);
      this.services = catalogue.services.map((s) => ({ code: s.code, name: localized(s.name, this.t.locale) }));
      this.apps = bus.apps;
      this.show(routing);
    }, '');
  }

  private show(routing: Routing) {
    this.routing = routing;
    this.rules = routing.rules.map((r) => ({ ...r }));
  }

  protected override heading() {
    return this.t.nav.routing;
  }

  protected override body() {
    const r = this.routing;
    if (!r) return html`<p>${this.t.loading}</p>`;
    const t = this.t.routing;
    return html`
      <h2>${t.area}</h2>
      <p>${r.area ? t.areaSet : t.areaNone}</p>
      <form @submit=${this.saveArea}>
        <div class="field"><label for="area-file">${t.areaFile}</label><input id="area-file" name="file" type="file" accept=".geojson,.json,application/geo+json,application/json" /></div>
        <fieldset><legend>${t.outside}</legend>
          <label class="check"><input type="radio" name="outside" value="refuse" ?checked=${r.outside === 'refuse'} /> ${t.refuse}</label>
          <label class="check"><input type="radio" name="outside" value="refer" ?checked=${r.outside === 'refer'} /> ${t.refer}</label>
        </fieldset>
        <div class="field"><label for="refer-note">${t.referNote}</label><textarea id="refer-note" name="refer_note" .value=${r.refer_note ?? ''}></textarea></div>
        <p class="hint" id="outside-message-help">${t.outsideMessageHelp}</p>
        ${(['fr', 'en'] as const).map((lang) => html`<div class="field"><label for=${`outside-message-${lang}`}>${lang === 'fr' ? t.outsideMessageFr : t.outsideMessageEn}</label>
          <textarea id=${`outside-message-${lang}`} name=${`outside_message_${lang}`} maxlength="500" aria-describedby="outside-message-help" .value=${r.outside_message[lang] ?? ''}></textarea></div>`)}
        <p class="row"><button type="submit">${t.saveArea}</button>
          ${r.area ? html`<button type="button" class="secondary" @click=${this.removeArea}>${t.removeArea}</button>` : nothing}</p>
      </form>

      <h2 id="departments-title">${t.departments}</h2>
      <table aria-labelledby="departments-title">
        <thead><tr><th scope="col">${t.name}</th><th scope="col">${t.agency}</th><th scope="col">${t.busApp}</th><th scope="col">${t.zone}</th></tr></thead>
        <tbody>${r.departments.map((d) => html`<tr><td>${d.name}</td><td>${d.agency ?? '—'}</td>
          <td>${this.apps.find((a) => Number(a.id) === d.bus_app_id)?.name ?? '—'}</td><td>${d.zone ? t.zoneSet : t.zoneNone}</td></tr>`)}</tbody>
      </table>
      <form @submit=${this.saveDepartment}>
        <p class="muted">${t.departmentHelp}</p>
        <div class="row">
          <div class="field"><label for="dept-name">${t.name}</label><input id="dept-name" name="name" required maxlength="200" list="dept-names" />
            <datalist id="dept-names">${r.departments.map((d) => html`<option value=${d.name}></option>`)}</datalist></div>
          <div class="field"><label for="dept-agency">${t.agency}</label><input id="dept-agency" name="agency" maxlength="200" /></div>
          <div class="field"><label for="dept-app">${t.busApp}</label>
            <select id="dept-app" name="bus_app_id"><option value="">${t.none}</option>${this.apps.map((a) => html`<option value=${a.id}>${a.name}</option>`)}</select></div>
        </div>
        <div class="field"><label for="dept-zone">${t.zoneFile}</label><input id="dept-zone" name="zone" type="file" accept=".geojson,.json,application/geo+json,application/json" /></div>
        <button type="submit">${t.saveDepartment}</button>
      </form>

      <h2 id="rules-title">${t.rules}</h2>
      <p class="muted">${t.rulesHelp}</p>
      <ol class="rules" aria-labelledby="rules-title">${this.rules.map((rule, i) => html`<li>
        <fieldset><legend>${t.rule(i + 1)}</legend><div class="row">
          <div class="field"><label for=${`rule-service-${i}`}>${t.service}</label>
            <select id=${`rule-service-${i}`} @change=${(e: Event) => this.setRule(i, { service_code: (e.target as HTMLSelectElement).value || null })}>
              <option value="" ?selected=${rule.service_code === null}>${t.anyService}</option>
              ${this.services.map((s) => html`<option value=${s.code} ?selected=${s.code === rule.service_code}>${s.name}</option>`)}</select></div>
          <div class="field"><label for=${`rule-department-${i}`}>${t.department}</label>
            <select id=${`rule-department-${i}`} @change=${(e: Event) => this.setRule(i, { department: (e.target as HTMLSelectElement).value })}>
              ${r.departments.map((d) => html`<option value=${d.name} ?selected=${d.name === rule.department}>${d.name}</option>`)}</select></div>
          <button type="button" class="secondary" ?disabled=${i === 0} @click=${() => this.move(i, -1)} aria-label=${`${t.up} (${t.rule(i + 1)})`}>${t.up}</button>
          <button type="button" class="secondary" ?disabled=${i === this.rules.length - 1} @click=${() => this.move(i, 1)} aria-label=${`${t.down} (${t.rule(i + 1)})`}>${t.down}</button>
          <button type="button" class="secondary" @click=${() => (this.rules = this.rules.filter((_, k) => k !== i))} aria-label=${`${t.remove} (${t.rule(i + 1)})`}>${t.remove}</button>
        </div></fieldset></li>`)}</ol>
      <p class="row">
        <button type="button" class="secondary" ?disabled=${r.departments.length === 0} @click=${() => (this.rules = [...this.rules, { service_code: null, department: r.departments[0]!.name }])}>${t.addRule}</button>
        <button type="button" @click=${this.saveRules}>${t.saveRules}</button>
      </p>
    `;
  }

  private setRule(i: number, patch: Partial<Rule>) {
    this.rules = this.rules.map((r, k) => (k === i ? { ...r, ...patch } : r));
  }

  private move(i: number, by: number) {
    const rules = [...this.rules];
    [rules[i], rules[i + by]] = [rules[i + by]!, rules[i]!];
    this.rules = rules;
  }

  /** The GeoJSON of a file input: undefined when none is chosen; a thrown message when it is not JSON. */
  private async geojson(form: HTMLFormElement, name: string): Promise<unknown> {
    const file = (form.elements.namedItem(name) as HTMLInputElement).files?.[0];
    if (!file) return undefined;
    try {
      return JSON.parse(await file.text()) as unknown;
    } catch {
      this.message = this.t.routing.notJson(file.name);
      this.problems = [];
      throw new Error('not JSON');
    }
  }

  private async put(path: string, body: unknown, form?: HTMLFormElement) {
    const saved = await this.run(() => this.api.put<Routing>(this.path(path), body));
    if (saved) {
      this.show(saved);
      form?.reset();
    }
  }

  private saveArea = async (e: Event) => {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const area = await this.geojson(form, 'file').catch(() => null);
    if (area === null) return;
    await this.put('area', {
      area: area ?? this.routing!.area, outside: this.value(form, 'outside') || 'refuse', refer_note: this.value(form, 'refer_note') || undefined,
      outside_message: { fr: this.value(form, 'outside_message_fr') || null, en: this.value(form, 'outside_message_en') || null },
    });
  };

  private removeArea = () => void this.put('area', { area: null, outside: this.routing!.outside, refer_note: this.routing!.refer_note ?? undefined, outside_message: this.routing!.outside_message });

  private saveDepartment = async (e: Event) => {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const zone = await this.geojson(form, 'zone').catch(() => null);
    if (zone === null) return;
    const name = this.value(form, 'name').trim();
    const app = this.value(form, 'bus_app_id');
    const existing = this.routing!.departments.find((d) => d.name === name);
    await this.put('departments', { departments: [{ name, agency: this.value(form, 'agency') || null, bus_app_id: app ? Number(app) : null, zone: zone ?? existing?.zone ?? null }] }, form);
  };

  private saveRules = () => void this.put('routing', { rules: this.rules });
}

declare global {
  interface HTMLElementTagNameMap {
    'georeport-admin-routing': AdminRoutingPage;
  }
}
