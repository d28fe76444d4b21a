import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import type { Scope } from '../../../server/keys/api-clients.store.ts';
import { AdminPage } from '../admin-page.ts';
import { adminEn } from '../texts.ts';

interface Key { id: string; name: string; prefix: string; scopes: Scope[]; rate_limit_per_minute: number | null; created: string; revoked: string | null }
interface BusApp { id: string; name: string; delivery: string; last_poll: string | null; revoked: string | null; backlog: { pending: number; leased: number; dead: number; held: number; oldest: string | null } }
interface Member { id: string; email: string; name: string; role: 'administrator' | 'agent' | 'readonly' }
interface Entry { id: string; at: string; actor: string; action: string; target: string | null }

/** What a key may be allowed to do, in the order offered: the dictionaries word every scope the server knows. */
const SCOPES = Object.keys(adminEn.settings.scopes) as Scope[];

/**
 * What an administrator looks after: API keys (create with what they may do, change that, revoke), bus
 * applications (create; their health), the staff of the town (add someone or give an existing account a
 * role) and the audit log. A new key or secret is shown once, in the status line, to be copied. Letting a
 * key post status updates, or taking filing away from one, is asked first: the first makes a key that may
 * sit in a public page able to close requests, the second stops a widget.
 */
export class AdminSettingsPage extends AdminPage {
  static override properties = {
    ...AdminPage.properties, keys: { state: true }, apps: { state: true }, staff: { state: true }, audit: { state: true }, editing: { state: true },
  };
  declare keys: Key[];
  declare apps: BusApp[];
  declare staff: Member[];
  declare audit: Entry[];
  /** The key whose scopes are being changed, if any. */
  declare editing: string | null;

  constructor() {
    super();
    this.keys = [];
    this.apps = [];
    this.staff = [];
    this.audit = [];
    this.editing = null;
  }

  override willUpdate(changed: PropertyValues<this>) {
    if (changed.has('jurisdiction') && this.jurisdiction) void this.load();
  }

  private async load() {
    await this.run(async () => {
      const [keys, bus, staff, audit] = await Promise.all([
        this.api.get<{ keys: Key[] }>(this.path('keys')), this.api.get<{ apps: BusApp[] }>(this.path('bus')),
        this.api.get<{ staff: Member[] }>(this.path('staff')), this.api.get<{ entries: Entry[] }>(this.path('audit')),
      ]);
      [this.keys, this.apps, this.staff, this.audit] = [keys.keys, bus.apps, staff.staff, audit.entries];
    }, '');
  }

  protected override heading() {
    return this.t.nav.settings;
  }

  protected override body() {
    const t = this.t.settings;
    const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString(this.t.locale) : t.never);
    return html`
      <h2 id="keys-title">${t.keys}</h2>
      ${this.scrolling('keys-title', html`<table aria-labelledby="keys-title">
        <thead><tr><th scope="col">${t.name}</th><th scope="col">${t.prefix}</th><th scope="col">${t.mayDo}</th><th scope="col">${t.rate}</th><th scope="col">${t.created}</th><th scope="col">${t.state}</th></tr></thead>
        <tbody>${this.keys.map((k) => html`<tr><td>${k.name}</td><td><code>${k.prefix}</code></td>
          <td><ul class="plain">${k.scopes.map((s) => html`<li>${t.scopes[s].name}</li>`)}</ul>${k.revoked ? nothing : html`<button type="button" class="secondary" id=${`change-key-${k.id}`}
            aria-label=${t.changeScopesOf(k.name)} aria-expanded=${String(this.editing === k.id)} aria-controls=${this.editing === k.id ? `scopes-of-${k.id}` : nothing}
            @click=${() => this.editScopes(k)}>${t.changeScopes}</button>`}</td>
          <td>${k.rate_limit_per_minute ?? '—'}</td><td>${when(k.created)}</td>
          <td>${k.revoked ? t.revoked : html`${t.active} <button type="button" class="secondary" aria-label=${`${t.revoke} ${k.name}`} @click=${() => this.revoke(k)}>${t.revoke}</button>`}</td></tr>
          ${this.editing === k.id && !k.revoked ? html`<tr><td colspan="6">${this.scopesEditor(k)}</td></tr>` : nothing}`)}</tbody>
      </table>`)}
      <form @submit=${this.createKey}>
        <div class="row">
          <div class="field"><label for="key-name">${t.keyName}</label><input id="key-name" name="name" required maxlength="200" /></div>
          <div class="field"><label for="key-rate">${t.rate}</label><input id="key-rate" name="rate" type="number" min="1" step="1" /></div>
        </div>
        ${this.scopeChoices(t.keyMayDo, 'key-scope', ['report'])}
        <button type="submit">${t.createKey}</button>
      </form>

      <h2 id="bus-title">${t.bus}</h2>
      ${this.scrolling('bus-title', html`<table aria-labelledby="bus-title">
        <thead><tr><th scope="col">${t.busName}</th><th scope="col">${t.lastPoll}</th><th scope="col">${t.backlog}</th><th scope="col">${t.dead}</th><th scope="col">${t.state}</th></tr></thead>
        <tbody>${this.apps.map((a) => html`<tr><td>${a.name}${a.delivery === 'deferred' ? html`<br /><span class="muted">${t.busDeferred}</span>` : nothing}</td>
          <td>${when(a.last_poll)}</td><td>${a.backlog.pending + a.backlog.leased}</td><td class=${a.backlog.dead ? 'error' : ''}>${a.backlog.dead}</td>
          <td>${a.revoked ? t.revoked : html`${t.active} <button type="button" class="secondary" aria-label=${`${t.revoke} ${a.name}`} @click=${() => this.revokeApp(a)}>${t.revoke}</button>`}</td></tr>`)}</tbody>
      </table>`)}
      <form class="row" @submit=${this.createApp}>
        <div class="field"><label for="bus-name">${t.busName}</label><input id="bus-name" name="name" required maxlength="200" /></div>
        <label class="check"><input type="checkbox" name="deferred" /> ${t.busDeferred}</label>
        <button type="submit">${t.createApp}</button>
      </form>

      <h2 id="staff-title">${t.staff}</h2>
      ${this.scrolling('staff-title', html`<table aria-labelledby="staff-title">
        <thead><tr><th scope="col">${t.staffName}</th><th scope="col">${t.staffEmail}</th><th scope="col">${t.staffRole}</th><th scope="col">${t.actions}</th></tr></thead>
        <tbody>${this.staff.map((s) => html`<tr><td>${s.name}</td><td>${s.email}</td><td>${t.roles[s.role]}</td>
          <td>${s.id === this.staffId ? '' : html`<button type="button" class="secondary" aria-label=${`${t.removeStaff} ${s.name}`} @click=${() => this.removeStaff(s)}>${t.removeStaff}</button>`}</td></tr>`)}</tbody>
      </table>`)}
      <form @submit=${this.addStaff}>
        <div class="row">
          <div class="field"><label for="staff-email">${t.staffEmail}</label><input id="staff-email" name="email" type="email" required autocomplete="off" /></div>
          <div class="field"><label for="staff-name">${t.staffName}</label><input id="staff-name" name="name" required autocomplete="off" /></div>
          <div class="field"><label for="staff-role">${t.staffRole}</label>
            <select id="staff-role" name="role">${(['agent', 'readonly', 'administrator'] as const).map((r) => html`<option value=${r}>${t.roles[r]}</option>`)}</select></div>
        </div>
        <div class="field"><label for="staff-password">${t.staffPassword}</label><input id="staff-password" name="password" type="password" required minlength="12" autocomplete="new-password" /></div>
        <button type="submit">${t.addStaff}</button>
      </form>

      <h2 id="audit-title">${t.audit}</h2>
      ${this.scrolling('audit-title', html`<table aria-labelledby="audit-title">
        <thead><tr><th scope="col">${t.when}</th><th scope="col">${t.who}</th><th scope="col">${t.what}</th><th scope="col">${t.target}</th></tr></thead>
        <tbody>${this.audit.map((e) => html`<tr><td>${when(e.at)}</td><td>${this.who(e.actor)}</td><td><code>${e.action}</code></td><td>${e.target ?? ''}</td></tr>`)}</tbody>
      </table>`)}
    `;
  }

  /**
   * A wide table in a region that scrolls sideways on a phone rather than the whole page; the region takes
   * the focus so that the keyboard can scroll it too.
   */
  private scrolling(titleId: string, table: TemplateResult) {
    return html`<div class="scroll" role="region" aria-labelledby=${titleId} tabindex="0">${table}</div>`;
  }

  /** Checkboxes named `scope`, one per scope with what it is for; `idPrefix` keeps their ids apart. */
  private scopeChoices(legend: string, idPrefix: string, chosen: readonly Scope[]) {
    const t = this.t.settings;
    return html`<fieldset><legend>${legend}</legend>${SCOPES.map((s) => html`<div class="choice">
      <input type="checkbox" id=${`${idPrefix}-${s}`} name="scope" value=${s} ?checked=${chosen.includes(s)} aria-describedby=${`${idPrefix}-${s}-hint`} />
      <label for=${`${idPrefix}-${s}`}>${t.scopes[s].name}</label><span id=${`${idPrefix}-${s}-hint`} class="muted">${t.scopes[s].hint}</span></div>`)}</fieldset>`;
  }

  /** The form that changes what a key may do, shown under its row; Escape closes it. */
  private scopesEditor(key: Key) {
    const t = this.t.settings;
    return html`<form class="editor" id=${`scopes-of-${key.id}`} @submit=${(e: Event) => this.saveScopes(e, key)} @keydown=${(e: KeyboardEvent) => e.key === 'Escape' && this.closeEditor(key.id)}>
      ${this.scopeChoices(t.keyNamedMayDo(key.name), `scopes-${key.id}`, key.scopes)}
      <div class="row"><button type="submit">${t.saveScopes}</button><button type="button" class="secondary" @click=${() => this.closeEditor(key.id)}>${t.cancel}</button></div>
    </form>`;
  }

  /** `staff:12` as the member's name when they are staff here. */
  private who(actor: string) {
    return this.staff.find((s) => `staff:${s.id}` === actor)?.name ?? actor;
  }

  /** Runs a change, then reloads the page's tables; keeps the status line of the change. */
  private async change<T>(action: () => Promise<T>, done?: (result: T) => string) {
    const result = await this.run(action);
    if (result === undefined) return false;
    await this.load();
    this.message = done ? done(result) : this.t.saved;
    return true;
  }

  /** The scopes ticked in a form; none ticked is said in the status line and gives undefined. */
  private async ticked(form: HTMLFormElement): Promise<Scope[] | undefined> {
    const ticked = new FormData(form).getAll('scope');
    const scopes = SCOPES.filter((s) => ticked.includes(s));
    if (scopes.length) return scopes;
    this.problems = [];
    this.message = '';
    await this.updateComplete; // said afresh, even twice in a row
    this.message = this.t.settings.noScope;
    return undefined;
  }

  /** Opens a key's scopes under its row, the focus on its first choice. */
  private async editScopes(key: Key) {
    this.editing = key.id;
    await this.updateComplete;
    (this.renderRoot.querySelector(`#scopes-of-${key.id} input`) as HTMLInputElement | null)?.focus();
  }

  /** Closes the scopes of a key, the focus back on the button that opened them. */
  private async closeEditor(id: string) {
    this.editing = null;
    await this.updateComplete;
    (this.renderRoot.querySelector(`#change-key-${id}`) as HTMLButtonElement | null)?.focus();
  }

  private async saveScopes(e: Event, key: Key) {
    e.preventDefault();
    const t = this.t.settings;
    const scopes = await this.ticked(e.target as HTMLFormElement);
    if (!scopes) return;
    const asks = [
      ...(scopes.includes('updates') && !key.scopes.includes('updates') ? [t.grantUpdates(key.name)] : []),
      ...(key.scopes.includes('report') && !scopes.includes('report') ? [t.dropReport(key.name)] : []),
    ];
    if (asks.length && !confirm(asks.join('\n\n'))) return;
    const saved = await this.change(() => this.api.post<{ scopes: Scope[] }>(this.path(`keys/${key.id}/scopes`), { scopes }),
      (r) => t.scopesChanged(key.name, r.scopes.map((s) => t.scopes[s].name)));
    if (saved) await this.closeEditor(key.id);
  }

  private revoke(key: Key) {
    if (!confirm(this.t.settings.revokeConfirm(key.name))) return;
    void this.change(() => this.api.post(this.path(`keys/${key.id}/revoke`)));
  }

  private removeStaff(member: Member) {
    if (!confirm(this.t.settings.removeStaffConfirm(member.name))) return;
    void this.change(() => this.api.post(this.path(`staff/${member.id}/remove`)));
  }

  private revokeApp(app: BusApp) {
    if (!confirm(this.t.settings.revokeAppConfirm(app.name))) return;
    void this.change(() => this.api.post(this.path(`bus/${app.id}/revoke`)));
  }

  private createKey = async (e: Event) => {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const scopes = await this.ticked(form);
    if (!scopes) return;
    const rate = this.value(form, 'rate');
    const body = { name: this.value(form, 'name'), rate_limit_per_minute: rate ? Number(rate) : null, scopes };
    const created = (r: { api_key: string; scopes: Scope[] }) => this.t.settings.newKey(r.api_key, r.scopes.includes('updates'));
    if (await this.change(() => this.api.post<{ api_key: string; scopes: Scope[] }>(this.path('keys'), body), created)) form.reset();
  };

  private createApp = async (e: Event) => {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const body = { name: this.value(form, 'name'), deferred: (form.elements.namedItem('deferred') as HTMLInputElement).checked };
    if (await this.change(() => this.api.post<{ secret: string }>(this.path('bus'), body), (r) => this.t.settings.newSecret(r.secret))) form.reset();
  };

  private addStaff = async (e: Event) => {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const body = Object.fromEntries(['email', 'name', 'role', 'password'].map((n) => [n, this.value(form, n)]));
    if (await this.change(() => this.api.post(this.path('staff'), body))) form.reset();
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'georeport-admin-settings': AdminSettingsPage;
  }
}
