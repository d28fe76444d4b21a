import { html, type PropertyValues } from 'lit';
import { AdminPage } from '../admin-page.ts';
import { localized, type ServiceDoc } from '../catalogue-doc.ts';

const INPUT_TYPES: Record<string, string> = { string: 'text', number: 'number', datetime: 'datetime-local' };

/** A `datetime-local` value as a W3C datetime in the browser's zone; any other value as it is. */
const datetime = (v: string) => {
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d$/.test(v)) return v;
  const offset = -new Date(v).getTimezoneOffset();
  const sign = offset < 0 ? '-' : '+';
  const pad = (n: number) => String(Math.floor(Math.abs(n))).padStart(2, '0');
  return `${v}:00${sign}${pad(offset / 60)}:${pad(offset % 60)}`;
};

/** A request received by phone, at the counter or by e-mail, filed by the agent (the channel is recorded). */
export class AdminIntakePage extends AdminPage {
  static override properties = { ...AdminPage.properties, services: { state: true }, chosen: { state: true } };
  declare services: ServiceDoc[];
  /** The code of the category chosen, whose questions the form asks. */
  declare chosen: string;

  constructor() {
    super();
    this.services = [];
    this.chosen = '';
  }

  override willUpdate(changed: PropertyValues<this>) {
    if (changed.has('jurisdiction') && this.jurisdiction) {
      void this.run(() => this.api.get<{ services: ServiceDoc[] }>(this.path('catalogue')), '').then((doc) => {
        this.services = (doc?.services ?? []).filter((s) => s.active !== false);
        this.chosen = this.services[0]?.code ?? '';
      });
    }
  }

  protected override heading() {
    return this.t.intake.title;
  }

  protected override body() {
    const t = this.t.intake;
    return html`
      <form @submit=${this.submit}>
        <fieldset><legend>${t.channel}</legend>
          ${(['phone', 'counter', 'email'] as const).map((c, i) => html`<label class="check"><input type="radio" name="channel" value=${c} ?checked=${i === 0} /> ${t[c]}</label>`)}
        </fieldset>
        <div class="field"><label for="service">${t.service}</label>
          <select id="service" name="service_code" required @change=${(e: Event) => (this.chosen = (e.target as HTMLSelectElement).value)}>
            ${this.services.map((s) => html`<option value=${s.code} ?selected=${s.code === this.chosen}>${localized(s.name)}</option>`)}</select></div>
        ${this.questions()}
        <div class="field"><label for="address">${t.address}</label><input id="address" name="address_string" required autocomplete="off" /></div>
        <div class="field"><label for="description">${t.description}</label><textarea id="description" name="description"></textarea></div>
        <div class="row">
          <div class="field"><label for="first_name">${t.firstName}</label><input id="first_name" name="first_name" autocomplete="off" /></div>
          <div class="field"><label for="last_name">${t.lastName}</label><input id="last_name" name="last_name" autocomplete="off" /></div>
          <div class="field"><label for="phone">${t.phoneNumber}</label><input id="phone" name="phone" type="tel" autocomplete="off" /></div>
          <div class="field"><label for="email">${t.emailAddress}</label><input id="email" name="email" type="email" autocomplete="off" /></div>
        </div>
        <button type="submit">${t.submit}</button>
      </form>
    `;
  }

  /** The questions of the chosen category, each as the resident's form asks it. */
  private questions() {
    const service = this.services.find((s) => s.code === this.chosen);
    const asked = (service?.attributes ?? []).filter((a) => a.variable !== false);
    return asked.map((a) => {
      const id = `attr-${a.code}`;
      const label = localized(a.description) || a.code;
      if (a.datatype === 'multivaluelist') {
        return html`<fieldset><legend>${label}</legend>${(a.values ?? []).map((v) => html`
          <label class="check"><input type="checkbox" name=${`attribute:${a.code}`} value=${v.key} /> ${localized(v.name)}</label>`)}</fieldset>`;
      }
      const control = a.datatype === 'singlevaluelist'
        ? html`<select id=${id} name=${`attribute:${a.code}`} ?required=${!!a.required}><option value=""></option>
            ${(a.values ?? []).map((v) => html`<option value=${v.key}>${localized(v.name)}</option>`)}</select>`
        : a.datatype === 'text'
          ? html`<textarea id=${id} name=${`attribute:${a.code}`} ?required=${!!a.required}></textarea>`
          : html`<input id=${id} name=${`attribute:${a.code}`} type=${INPUT_TYPES[a.datatype] ?? 'text'} step="any" ?required=${!!a.required} />`;
      return html`<div class="field"><label for=${id}>${label}</label>${control}</div>`;
    });
  }

  private submit = async (e: Event) => {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const entries = [...new FormData(form)].filter(([, v]) => v !== '') as [string, string][];
    const attribute: Record<string, string[]> = {};
    for (const [k, v] of entries) if (k.startsWith('attribute:')) (attribute[k.slice('attribute:'.length)] ??= []).push(datetime(v));
    const body = { ...Object.fromEntries(entries.filter(([k]) => !k.startsWith('attribute:'))), attribute };
    const filed = await this.run(() => this.api.post<{ service_request_id: string }>(this.path('intake'), body));
    if (filed) {
      this.message = this.t.intake.filed(filed.service_request_id);
      form.reset();
    }
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'georeport-admin-intake': AdminIntakePage;
  }
}
