import { html } from 'lit';
import { AdminPage } from '../admin-page.ts';

/** One's own account: a new password (the current one asked; typed twice). Other sessions then end. */
export class AdminAccountPage extends AdminPage {
  protected override heading() {
    return this.t.account.title;
  }

  protected override body() {
    const t = this.t.account;
    return html`
      <form @submit=${this.save}>
        <div class="field"><label for="current">${t.current}</label><input id="current" name="current" type="password" required autocomplete="current-password" /></div>
        <div class="field"><label for="new">${t.next}</label><input id="new" name="new" type="password" required minlength="12" autocomplete="new-password" /></div>
        <div class="field"><label for="again">${t.again}</label><input id="again" name="again" type="password" required autocomplete="new-password" /></div>
        <button type="submit">${t.save}</button>
      </form>`;
  }

  private save = async (e: Event) => {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    if (this.value(form, 'new') !== this.value(form, 'again')) {
      [this.message, this.problems] = [this.t.account.mismatch, []];
      return;
    }
    const t = this.t.account;
    const body = { current_password: this.value(form, 'current'), new_password: this.value(form, 'new') };
    const done = await this.run(() => this.api.post('password', body), t.done, { 403: t.wrong, 429: this.t.login.throttled });
    if (done !== undefined) form.reset();
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'georeport-admin-account': AdminAccountPage;
  }
}
