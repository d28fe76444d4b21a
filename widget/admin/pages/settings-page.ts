import { html, nothing, type PropertyValues } from 'lit';
import { AdminPage } from '../admin-page.ts';

interface Key { id: string; name: string; prefix: string; rate_limit_per_minute: number | null; created: string; revoked: string | null }
interface BusApp { id: string; name: string; delivery: string; last_poll: string | null; revoked: string | null; backlog: { pending: number; leased: number; dead: number; held: number; oldest: string | null } }
interface Member { id: string; email: string; name: string; role: 'administrator' | 'agent' | 'readonly' }
interface Entry { id: string; at: string; actor: string; action: string; target: string | null }

/**
 * What an administrator looks after: API keys (create, revoke), bus applications (create; their health),
 * the staff of the town (add someone or give an existing account a role) and the audit log. A new key or
 * secret is shown once, in the status line, to be copied.
 */
export class AdminSettingsPage extends AdminPage {
  static override properties = { ...AdminPage.properties, keys: { state: true }, apps: { state: true }, staff: { state: true }, audit: { state: true } };
  declare keys: Key[];
  declare apps: BusApp[];
  declare staff: Member[];
  declare audit: Entry[];

  constructor() {
    super();
    this.keys = [];
    this.apps = [];
    this.staff = [];
    this.audit = [];
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
    const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString(document.documentElement.lang || 'fr') : t.never);
    return html`
      <h2 id="keys-title">${t.keys}</h2>
      <table aria-labelledby="keys-title">
        <thead><tr><th scope="col">${t.name}</th><th scope="col">${t.prefix}</th><th scope="col">${t.rate}</th><th scope="col">${t.created}</th><th scope="col">${t.state}</th></tr></thead>
        <tbody>${this.keys.map((k) => html`<tr><td>${k.name}</td><td><code>${k.prefix}</code></td><td>${k.rate_limit_per_minute ?? '—'}</td><td>${when(k.created)}</td>
          <td>${k.revoked ? t.revoked : html`${t.active} <button type="button" class="secondary" aria-label=${`${t.revoke} ${k.name}`} @click=${() => this.revoke(k)}>${t.revoke}</button>`}</td></tr>`)}</tbody>
      </table>
      <form class="row" @submit=${this.createKey}>
        <div class="field"><label for="key-name">${t.keyName}</label><input id="key-name" name="name" required maxlength="200" /></div>
        <div class="field"><label for="key-rate">${t.rate}</label><input id="key-rate" name="rate" type="number" min="1" step="1" /></div>
        <button type="submit">${t.createKey}</button>
      </form>

      <h2 id="bus-title">${t.bus}</h2>
      <table aria-labelledby="bus-title">
        <thead><tr><th scope="col">${t.busName}</th><th scope="col">${t.lastPoll}</th><th scope="col">${t.backlog}</th><th scope="col">${t.dead}</th><th scope="col">${t.state}</th></tr></thead>
        <tbody>${this.apps.map((a) => html`<tr><td>${a.name}${a.delivery === 'deferred' ? html`<br /><span class="muted">${t.busDeferred}</span>` : nothing}</td>
          <td>${when(a.last_poll)}</td><td>${a.backlog.pending + a.backlog.leased}</td><td class=${a.backlog.dead ? 'error' : ''}>${a.backlog.dead}</td>
          <td>${a.revoked ? t.revoked : html`${t.active} <button type="button" class="secondary" aria-label=${`${t.revoke} ${a.name}`} @click=${() => this.revokeApp(a)}>${t.revoke}</button>`}</td></tr>`)}</tbody>
      </table>
      <form class="row" @submit=${this.createApp}>
        <div class="field"><label for="bus-name">${t.busName}</label><input id="bus-name" name="name" required maxlength="200" /></div>
        <label class="check"><input type="checkbox" name="deferred" /> ${t.busDeferred}</label>
        <button type="submit">${t.createApp}</button>
      </form>

      <h2 id="staff-title">${t.staff}</h2>
      <table aria-labelledby="staff-title">
        <thead><tr><th scope="col">${t.staffName}</th><th scope="col">${t.staffEmail}</th><th scope="col">${t.staffRole}</th><th scope="col">${t.actions}</th></tr></thead>
        <tbody>${this.staff.map((s) => html`<tr><td>${s.name}</td><td>${s.email}</td><td>${t.roles[s.role]}</td>
          <td>${s.id === this.staffId ? '' : html`<button type="button" class="secondary" aria-label=${`${t.removeStaff} ${s.name}`} @click=${() => this.removeStaff(s)}>${t.removeStaff}</button>`}</td></tr>`)}</tbody>
      </table>
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
      <table aria-labelledby="audit-title">
        <thead><tr><th scope="col">${t.when}</th><th scope="col">${t.who}</th><th scope="col">${t.what}</th><th scope="col">${t.target}</th></tr></thead>
        <tbody>${this.audit.map((e) => html`<tr><td>${when(e.at)}</td><td>${this.who(e.actor)}</td><td><code>${e.action}</code></td><td>${e.target ?? ''}</td></tr>`)}</tbody>
      </table>
    `;
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
    const rate = this.value(form, 'rate');
    const body = { name: this.value(form, 'name'), rate_limit_per_minute: rate ? Number(rate) : null };
    if (await this.change(() => this.api.post<{ api_key: string }>(this.path('keys'), body), (r) => this.t.settings.newKey(r.api_key))) form.reset();
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
