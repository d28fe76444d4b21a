import { LitElement, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { OSM_TILE_URL } from '../map/map-settings.ts';
import type { Tiles } from './admin-map.ts';
import { AdminError, createAdminApi, type Me } from './api.ts';
import { shared } from './shared-directive.ts';
import { adminStyles } from './admin.styles.ts';
import type { Role } from './admin-page.ts';
import { shellStyles } from './shell.styles.ts';
import { adminLanguageOf } from './language.ts';
import { adminTexts, type AdminTexts } from './texts.ts';

const RANK: Record<Role, number> = { readonly: 1, agent: 2, administrator: 3 };
const JURISDICTION_KEY = 'georeport-admin-jurisdiction';

/** The sections, the role each needs, and how a route (`#/section/rest`) renders. */
interface Section { id: keyof AdminTexts['nav']; needs: Role }
const SECTIONS: Section[] = [
  { id: 'requests', needs: 'readonly' }, { id: 'moderation', needs: 'agent' }, { id: 'intake', needs: 'agent' },
  { id: 'catalogue', needs: 'readonly' }, { id: 'routing', needs: 'administrator' }, { id: 'stats', needs: 'readonly' }, { id: 'settings', needs: 'administrator' },
];

/**
 * The back office: the login form, then the sections the staff member's role allows in the town they
 * work on (a choice when they work for several), routed by the URL's hash so that every page has an
 * address and the browser's back button works. On each new page the focus goes to its heading.
 */
export class GeoReportAdmin extends LitElement {
  static override styles = [adminStyles, shellStyles];
  static override properties = {
    tileUrl: { type: String, attribute: 'tile-url' }, attribution: { type: String },
    me: { state: true }, expired: { state: true }, ready: { state: true }, route: { state: true }, query: { state: true }, jurisdiction: { state: true }, loginError: { state: true },
  };
  /** The tiles of the maps (OpenStreetMap's by default) and their credit. */
  declare tileUrl: string;
  declare attribution: string;
  declare me: Me | null;
  /** The session ended while working: the login form is shown over the page, which keeps its input. */
  declare expired: boolean;
  declare ready: boolean;
  declare route: string[];
  /** The query of the hash (`#/requests?sort=-sla`): a page's own parameters, such as the inbox's filters. */
  declare query: string;
  declare jurisdiction: string;
  declare loginError: string;
  /** The texts, in the language the page gives the element (see `adminLanguageOf`), chosen once connected. */
  private t: AdminTexts = adminTexts('en');
  private readonly api = createAdminApi(() => (this.expired = this.me !== null));
  private readonly onHash = () => {
    const [route, query] = GeoReportAdmin.parse(location.hash);
    const moved = route.join('/') !== this.route.join('/');
    [this.route, this.query] = [route, query];
    // A new query alone (a filter, a sort) keeps the focus where the staff member is.
    if (moved) void this.focusHeading();
  };

  constructor() {
    super();
    this.tileUrl = '';
    this.attribution = '';
    this.me = null;
    this.expired = false;
    this.ready = false;
    [this.route, this.query] = GeoReportAdmin.parse(location.hash);
    this.jurisdiction = '';
    this.loginError = '';
  }

  /** A hash's route (`#/requests/45` → `['requests', '45']`) and its query (`?status=open`, without `?`). */
  private static parse(hash: string): [string[], string] {
    const [path = '', query = ''] = hash.replace(/^#\/?/, '').split(/\?(.*)/s);
    const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
    return [parts.length ? parts : ['requests'], query];
  }

  override connectedCallback() {
    super.connectedCallback();
    this.t = adminTexts(adminLanguageOf(this));
    addEventListener('hashchange', this.onHash);
    this.api.me().then((me) => this.signedIn(me), () => undefined).finally(() => (this.ready = true));
  }

  override disconnectedCallback() {
    removeEventListener('hashchange', this.onHash);
    super.disconnectedCallback();
  }

  private signedIn(me: Me) {
    const resumed = this.expired && me.staff.id === this.me?.staff.id;
    this.expired = false;
    this.me = me;
    if (resumed) return;
    const towns = Object.keys(me.staff.roles);
    const kept = sessionStorage.getItem(JURISDICTION_KEY);
    this.jurisdiction = kept && towns.includes(kept) ? kept : towns[0] ?? '';
  }

  private tiles: Tiles = { url: OSM_TILE_URL, attribution: '' };

  override willUpdate(changed: PropertyValues<this>) {
    if (changed.has('tileUrl') || changed.has('attribution')) this.tiles = { url: this.tileUrl || OSM_TILE_URL, attribution: this.attribution };
  }

  private get currentRole(): Role | undefined {
    return this.me?.staff.roles[this.jurisdiction];
  }

  override render() {
    if (!this.ready) return html`<p>${this.t.loading}</p>`;
    if (!this.me) return this.loginForm();
    return html`${this.expired ? this.loginForm() : nothing}<div class="office" ?inert=${this.expired}>${this.office(this.me)}</div>`;
  }

  override updated(changed: PropertyValues<this>) {
    if (changed.has('expired') && this.expired) (this.renderRoot.querySelector('#email') as HTMLInputElement | null)?.focus();
    document.title = `${this.heading()} — ${this.t.title}`;
  }

  private heading() {
    if (!this.me || this.expired) return this.t.login.title;
    const id = this.route[0] as Section['id'];
    return this.t.nav[id] ?? this.t.title;
  }

  /** The login form: the page itself, or a dialog over the page when the session ended while working. */
  private loginForm() {
    if (!this.expired) return html`<main class="login"><h1 tabindex="-1">${this.t.title}</h1>${this.loginFields()}</main>`;
    return html`<div class="login again" role="dialog" aria-modal="true" aria-labelledby="login-title">${this.loginFields()}</div>`;
  }

  private loginFields() {
    const t = this.t.login;
    return html`
      <form @submit=${this.login} aria-labelledby="login-title">
        <h2 id="login-title">${t.title}</h2>
        ${this.expired ? html`<p class="notice">${t.expired}</p>` : nothing}
        <p class="error" role="alert">${this.loginError}</p>
        <div class="field"><label for="email">${t.email}</label><input id="email" name="email" type="email" required autocomplete="username" /></div>
        <div class="field"><label for="password">${t.password}</label><input id="password" name="password" type="password" required autocomplete="current-password" /></div>
        <button type="submit">${t.submit}</button>
      </form>`;
  }

  private office(me: Me) {
    const role = this.currentRole;
    const towns = Object.keys(me.staff.roles);
    const allowed = SECTIONS.filter((s) => role && RANK[role] >= RANK[s.needs]);
    return html`
      <header>
        <a class="skip" href="#" @click=${this.skip}>${this.t.skip}</a>
        <p class="brand">${this.t.title}</p>
        ${towns.length > 1 ? html`<label class="town">${this.t.jurisdiction}
          <select @change=${this.chooseTown}>${towns.map((j) => html`<option value=${j} ?selected=${j === this.jurisdiction}>${j}</option>`)}</select></label>`
          : html`<p class="town">${this.t.jurisdiction} : ${this.jurisdiction}</p>`}
        <p class="who">${me.staff.name} · ${role ? this.t.settings.roles[role] : ''} <a href="#/account">${this.t.account.link}</a> <button type="button" class="secondary" @click=${this.logout}>${this.t.logout}</button></p>
      </header>
      <nav aria-label=${this.t.nav.label}><ul>${allowed.map((s) => html`<li>
        <a href=${`#/${s.id}`} aria-current=${this.route[0] === s.id ? 'page' : nothing}>${this.t.nav[s.id]}</a></li>`)}</ul></nav>
      <main>${this.route[0] === 'account' || allowed.some((s) => s.id === this.route[0]) ? this.page(this.route) : html`<h1 tabindex="-1">${this.t.forbidden}</h1>`}</main>`;
  }

  /** The page of a route, given what every page is (with the `shared` directive). */
  private page([section, rest]: string[]): TemplateResult {
    const common = shared({ api: this.api, t: this.t, tiles: this.tiles, jurisdiction: this.jurisdiction, staffRole: this.currentRole!, staffId: this.me!.staff.id });
    switch (section) {
      case 'requests':
        return html`<georeport-admin-requests ${common} request-id=${rest ?? ''} query=${this.query}></georeport-admin-requests>`;
      case 'moderation':
        return html`<georeport-admin-requests ${common} moderation request-id=${rest ?? ''} query=${this.query}></georeport-admin-requests>`;
      case 'intake':
        return html`<georeport-admin-intake ${common}></georeport-admin-intake>`;
      case 'catalogue':
        return rest
          ? html`<georeport-admin-service ${common} code=${rest}></georeport-admin-service>`
          : html`<georeport-admin-catalogue ${common}></georeport-admin-catalogue>`;
      case 'routing':
        return html`<georeport-admin-routing ${common}></georeport-admin-routing>`;
      case 'account':
        return html`<georeport-admin-account ${common}></georeport-admin-account>`;
      case 'stats':
        return html`<georeport-admin-stats ${common} .period=${rest ?? ''}></georeport-admin-stats>`;
      default:
        return html`<georeport-admin-settings ${common}></georeport-admin-settings>`;
    }
  }

  /**
   * Moves the focus to the heading of the page now shown (inside the page's own shadow root), or where
   * the page says it belongs (the inbox: the request opened, or the row of the one closed).
   */
  private async focusHeading() {
    await this.updateComplete;
    const page = this.renderRoot.querySelector('main > *') as (LitElement & { focusTarget?: () => Promise<HTMLElement | null> }) | null;
    await page?.updateComplete;
    const target = (await page?.focusTarget?.()) ?? ((page?.shadowRoot ?? this.renderRoot).querySelector('h1') as HTMLElement | null);
    target?.focus();
  }

  private skip = (e: Event) => {
    e.preventDefault();
    void this.focusHeading();
  };

  private login = async (e: Event) => {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const field = (name: string) => (form.elements.namedItem(name) as HTMLInputElement).value;
    this.loginError = '';
    try {
      this.signedIn(await this.api.login(field('email'), field('password')));
      await this.focusHeading();
    } catch (err) {
      if (!(err instanceof AdminError)) throw err;
      const t = this.t.login;
      this.loginError = err.status === 429 ? t.throttled : err.status === 0 ? t.network : t.wrong;
    }
  };

  private logout = async () => {
    await this.api.logout().catch(() => undefined);
    this.me = null;
    this.expired = false;
    await this.focusHeading();
  };

  private chooseTown = (e: Event) => {
    this.jurisdiction = (e.target as HTMLSelectElement).value;
    sessionStorage.setItem(JURISDICTION_KEY, this.jurisdiction);
    void this.focusHeading();
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'georeport-admin': GeoReportAdmin;
  }
}
