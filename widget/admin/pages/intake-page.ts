import { css, html, nothing, type CSSResultGroup, type PropertyValues } from 'lit';
import { AdminPage } from '../admin-page.ts';
import type { Extent, Pin, PinEvent } from '../admin-pin-map.ts';
import { localized, type ServiceDoc } from '../catalogue-doc.ts';
import { PlaceSearch, type Place } from '../place-search.ts';

const INPUT_TYPES: Record<string, string> = { string: 'text', number: 'number', datetime: 'datetime-local' };

/** A `datetime-local` value as a W3C datetime in the browser's zone; any other value as it is. */
const datetime = (v: string) => {
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d$/.test(v)) return v;
  const offset = -new Date(v).getTimezoneOffset();
  const sign = offset < 0 ? '-' : '+';
  const pad = (n: number) => String(Math.floor(Math.abs(n))).padStart(2, '0');
  return `${v}:00${sign}${pad(offset / 60)}:${pad(offset % 60)}`;
};

/** Moves the focus along the suggestions (before the first: back to the field); Escape closes them. */
function onSuggestionKeys(e: KeyboardEvent, search: PlaceSearch) {
  const root = (e.currentTarget as Element).getRootNode() as ShadowRoot;
  const buttons = [...root.querySelectorAll<HTMLButtonElement>('.suggestion')];
  const at = buttons.indexOf(e.target as HTMLButtonElement);
  if (e.key === 'ArrowDown') (buttons[at + 1] ?? buttons[at])?.focus();
  else if (e.key === 'ArrowUp') (at > 0 ? buttons[at - 1] : root.getElementById('address'))?.focus();
  else if (e.key === 'Escape') {
    search.dismiss();
    root.getElementById('address')?.focus();
  } else return;
  e.preventDefault();
}

/**
 * A request received by phone, at the counter or by e-mail, filed by the agent (the channel is recorded)
 * with its place: an address typed (addresses offered by the server's geocoder, one chosen puts the pin
 * there) or a pin put on the map by pointer or keyboard (the address near it filled in), so that the
 * request reaches the public map like a resident's. The outcome is said beside the button that files.
 */
export class AdminIntakePage extends AdminPage {
  static override styles: CSSResultGroup = [AdminPage.styles, css`
    .suggestions { list-style: none; padding: 0; margin: 0 0 0.6em; max-width: 40em; border: 1px solid #c6c6c6; border-radius: 4px; }
    .suggestion { display: block; width: 100%; text-align: start; background: #fff; color: inherit; border: 0; border-radius: 0; border-bottom: 1px solid #ddd; }
    .suggestion:hover { background: #eef4fb; }
    .live:empty { display: none; }
    .pin-row { display: flex; flex-wrap: wrap; gap: 0.5em 1em; align-items: center; margin: 0.5em 0; }
    .submit { position: sticky; bottom: 0; z-index: 1100; background: #fff; padding: 0.6em 0; border-top: 1px solid #ddd; display: flex; flex-wrap: wrap; gap: 0.6em 1em; align-items: center; }
    .submit [role='status'] { flex: 1 1 20em; margin: 0; }
  `];
  static override properties = {
    ...AdminPage.properties, services: { state: true }, chosen: { state: true }, pin: { state: true }, address: { state: true }, setup: { state: true },
  };
  declare services: ServiceDoc[];
  /** The code of the category chosen, whose questions the form asks. */
  declare chosen: string;
  /** Where the request is on the map (null: not placed yet). */
  declare pin: Pin | null;
  /** The address field: as typed, as chosen among those offered, or as found near the pin. */
  declare address: string;
  /** Whether the server can look addresses up, and where the town's requests are (the map opens there). */
  declare setup: { geocoder: boolean; extent: Extent | null } | null;
  /** The national id of the address chosen, while the field and the pin are still the suggestion's. */
  private addressId: string | null = null;
  /** The address was filled in from the pin: a new pin replaces it; a typed one stays. */
  private addressFromPin = false;
  private readonly search = new PlaceSearch(this, () => ({ api: this.api, path: (rest) => this.path(rest) }));

  constructor() {
    super();
    this.services = [];
    this.chosen = '';
    this.pin = null;
    this.address = '';
    this.setup = null;
  }

  override willUpdate(changed: PropertyValues<this>) {
    if (changed.has('jurisdiction') && this.jurisdiction) {
      void this.run(() => Promise.all([
        this.api.get<{ services: ServiceDoc[] }>(this.path('catalogue')), this.api.get<{ geocoder: boolean; extent: Extent | null }>(this.path('intake')),
      ]), '').then((loaded) => {
        if (!loaded) return;
        this.services = loaded[0].services.filter((s) => s.active !== false);
        this.chosen = this.services[0]?.code ?? '';
        this.setup = loaded[1];
      });
    }
  }

  /** The heading, then the form; the status line sits by the button that files (see `body`). */
  override render() {
    return html`<h1 tabindex="-1">${this.heading()}</h1>${this.body()}`;
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
            ${this.services.map((s) => html`<option value=${s.code} ?selected=${s.code === this.chosen}>${localized(s.name, this.t.locale)}</option>`)}</select></div>
        ${this.questions()}
        ${this.where()}
        <div class="field"><label for="description">${t.description}</label><textarea id="description" name="description"></textarea></div>
        <div class="row">
          <div class="field"><label for="first_name">${t.firstName}</label><input id="first_name" name="first_name" autocomplete="off" /></div>
          <div class="field"><label for="last_name">${t.lastName}</label><input id="last_name" name="last_name" autocomplete="off" /></div>
          <div class="field"><label for="phone">${t.phoneNumber}</label><input id="phone" name="phone" type="tel" autocomplete="off" /></div>
          <div class="field"><label for="email">${t.emailAddress}</label><input id="email" name="email" type="email" autocomplete="off" /></div>
        </div>
        <div class="submit"><button type="submit">${t.submit}</button>${this.status()}</div>
      </form>
    `;
  }

  /** The place: the address field with what the geocoder offers, the map, and where the pin is in words. */
  private where() {
    const t = this.t.intakeMap;
    const search = this.search;
    const offering = this.setup?.geocoder === true;
    const said = search.state === 'unavailable' ? t.searchDown : offering && search.answered ? t.suggested(search.suggestions.length) : '';
    return html`
      <fieldset><legend>${t.where}</legend>
        <div class="field"><label for="address">${t.search}</label>
          <input id="address" name="address_string" autocomplete="off" aria-describedby="address-help" .value=${this.address}
            @input=${this.typed} @keydown=${this.fieldKeys} />
          <span class="muted" id="address-help">${t.searchHelp}</span></div>
        <p class="live" role="status">${said}</p>
        ${search.suggestions.length ? html`<ul class="suggestions" aria-label=${t.suggestions} @keydown=${(e: KeyboardEvent) => onSuggestionKeys(e, search)}>
          ${search.suggestions.map((p) => html`<li><button type="button" class="suggestion" @click=${() => this.choose(p)}>${p.label}</button></li>`)}</ul>` : nothing}
        ${this.setup ? html`<georeport-admin-pin-map .pin=${this.pin} .extent=${this.setup.extent} .tiles=${this.tiles} label=${t.map}
          help=${t.mapHelp}
          role-description=${t.mapRole} zoom-in=${t.zoomIn} zoom-out=${t.zoomOut} @georeport-admin-pin=${this.placed}></georeport-admin-pin-map>` : nothing}
        <div class="pin-row"><p class="live" role="status" id="pin-status">${this.pinStatus()}</p>
          ${this.pin ? html`<button type="button" class="secondary" @click=${this.unpin}>${t.removePin}</button>` : nothing}</div>
      </fieldset>`;
  }

  private pinStatus() {
    const t = this.t.intakeMap;
    if (!this.pin) return '';
    return this.addressFromPin && this.address ? t.pinnedNear(this.address) : t.pinned(this.pin.lat.toFixed(5), this.pin.long.toFixed(5));
  }

  /** The questions of the chosen category, each as the resident's form asks it. */
  private questions() {
    const service = this.services.find((s) => s.code === this.chosen);
    const asked = (service?.attributes ?? []).filter((a) => a.variable !== false);
    return asked.map((a) => {
      const id = `attr-${a.code}`;
      const label = localized(a.description, this.t.locale) || a.code;
      if (a.datatype === 'multivaluelist') {
        return html`<fieldset><legend>${label}</legend>${(a.values ?? []).map((v) => html`
          <label class="check"><input type="checkbox" name=${`attribute:${a.code}`} value=${v.key} /> ${localized(v.name, this.t.locale)}</label>`)}</fieldset>`;
      }
      const control = a.datatype === 'singlevaluelist'
        ? html`<select id=${id} name=${`attribute:${a.code}`} ?required=${!!a.required}><option value=""></option>
            ${(a.values ?? []).map((v) => html`<option value=${v.key}>${localized(v.name, this.t.locale)}</option>`)}</select>`
        : a.datatype === 'text'
          ? html`<textarea id=${id} name=${`attribute:${a.code}`} ?required=${!!a.required}></textarea>`
          : html`<input id=${id} name=${`attribute:${a.code}`} type=${INPUT_TYPES[a.datatype] ?? 'text'} step="any" ?required=${!!a.required} />`;
      return html`<div class="field"><label for=${id}>${label}</label>${control}</div>`;
    });
  }

  private typed = (e: Event) => {
    this.address = (e.target as HTMLInputElement).value;
    this.addressId = null;
    this.addressFromPin = false;
    if (this.setup?.geocoder) this.search.typed(this.address);
  };

  private fieldKeys = (e: KeyboardEvent) => {
    if (e.key === 'ArrowDown' && this.search.suggestions.length) this.renderRoot.querySelector<HTMLButtonElement>('.suggestion')?.focus();
    else if (e.key === 'Escape' && this.search.suggestions.length) this.search.dismiss();
    else return;
    e.preventDefault();
  };

  /** An address offered was chosen: its words in the field, the pin on it. */
  private choose(place: Place) {
    this.search.dismiss();
    this.address = place.label;
    this.addressId = place.address_id;
    this.addressFromPin = false;
    this.pin = { lat: place.lat, long: place.long };
    this.renderRoot.querySelector<HTMLInputElement>('#address')?.focus();
  }

  /** The pin was put on the map: the address near it fills the field unless the agent typed one. */
  private placed = async (e: PinEvent) => {
    const pin = (this.pin = e.pin);
    this.addressId = null;
    if (this.address !== '' && !this.addressFromPin) return;
    this.addressFromPin = true;
    const near = this.setup?.geocoder ? await this.search.near(pin.lat, pin.long) : null;
    // Only for the pin still there, and while the agent has not typed meanwhile.
    if (this.pin === pin && this.addressFromPin) this.address = near?.label ?? '';
  };

  private unpin = () => {
    this.pin = null;
    this.addressId = null;
    if (this.addressFromPin) this.address = '';
    this.addressFromPin = false;
  };

  private submit = async (e: Event) => {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    if (!this.pin && this.address.trim() === '') {
      this.problems = [];
      this.message = this.t.intakeMap.noPlace;
      return;
    }
    const entries = [...new FormData(form)].filter(([, v]) => v !== '') as [string, string][];
    const attribute: Record<string, string[]> = {};
    for (const [k, v] of entries) if (k.startsWith('attribute:')) (attribute[k.slice('attribute:'.length)] ??= []).push(datetime(v));
    const place = {
      ...(this.pin ? { lat: String(this.pin.lat), long: String(this.pin.long) } : {}),
      ...(this.addressId ? { address_id: this.addressId } : {}),
    };
    const body = { ...Object.fromEntries(entries.filter(([k]) => !k.startsWith('attribute:'))), attribute, ...place };
    const filed = await this.run(() => this.api.post<{ service_request_id: string; lat: number | null }>(this.path('intake'), body));
    if (filed) {
      this.message = filed.lat === null ? this.t.intakeMap.filedNowhere(filed.service_request_id) : this.t.intake.filed(filed.service_request_id);
      form.reset();
      this.pin = null;
      this.address = '';
      this.addressId = null;
      this.addressFromPin = false;
    }
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'georeport-admin-intake': AdminIntakePage;
  }
}
