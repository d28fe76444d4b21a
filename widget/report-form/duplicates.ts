import { html, nothing, type ReactiveController, type ReactiveControllerHost } from 'lit';
import { isEmailAddress } from '../../server/shared/checks.ts';
import type { GeoReportClient } from '../api/client.ts';
import type { PublicRequest } from '../api/types.ts';
import type { Messages } from '../i18n/index.ts';
import { dateOf, statusOf } from '../request-map/format.ts';
import { deviceId } from '../tracking/tracked.ts';

/**
 * Duplicates before they happen: once the category and the place are known, the open requests of the
 * same kind nearby are offered, so the resident can follow one instead of filing it again. Offered once
 * per category and place: "mine is different" goes on, and coming back does not ask again.
 */
export class DuplicatesController implements ReactiveController {
  /** The requests on offer (empty: none, or not asked). */
  offered: PublicRequest[] = [];
  following: string | null = null;
  failed = false;
  /** The e-mail to hear about the request followed (optional), and what is wrong with it. */
  email = '';
  emailError = '';
  private askedFor = '';

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  hostConnected() {}

  /**
   * Looks for duplicates of `service` at the place; true when there are some to show (the step should
   * stay). A failure to look is no reason to stop a report: false.
   */
  async offer(client: GeoReportClient, service: string, lat: number | null, long: number | null): Promise<boolean> {
    const key = `${service}|${lat}|${long}`;
    if (lat === null || long === null || key === this.askedFor) return false;
    this.askedFor = key;
    this.failed = false;
    try {
      this.offered = await client.duplicates(service, lat, long);
    } catch {
      this.offered = [];
    }
    this.host.requestUpdate();
    return this.offered.length > 0;
  }

  /**
   * Follows one of them, with the e-mail given (updates wait for the address's owner to confirm it);
   * resolves to its follower count and whether a confirmation is awaited, or null when it failed or the
   * e-mail is not an address.
   */
  async follow(client: GeoReportClient, id: string, t: Messages): Promise<{ followers: number; confirmEmail: boolean } | null> {
    const email = this.email.trim();
    this.emailError = email && !isEmailAddress(email) ? t.follow.emailInvalid : '';
    this.failed = false;
    if (this.emailError) {
      this.host.requestUpdate();
      return null;
    }
    this.following = id;
    this.host.requestUpdate();
    try {
      return await client.follow(id, { deviceId: deviceId(), email: email || undefined, emailUpdates: !!email });
    } catch {
      this.failed = true;
      return null;
    } finally {
      this.following = null;
      this.host.requestUpdate();
    }
  }

  /** Forgets what was offered (a new report, or the resident goes on with their own). */
  dismiss(reset = false) {
    this.offered = [];
    if (reset) this.askedFor = '';
    this.host.requestUpdate();
  }
}

/**
 * The panel on the location step: each nearby request with a way to follow it, then a way to go on; with
 * `emailUpdates` (the server sends e-mail), an e-mail to hear when the one followed moves on.
 */
export function duplicatesPanel(t: Messages, lang: string, d: DuplicatesController, emailUpdates: boolean, on: { follow(id: string): void; different(): void }) {
  if (d.offered.length === 0) return nothing;
  return html`
    <section class="duplicates" aria-labelledby="duplicates-title">
      <h4 id="duplicates-title" tabindex="-1">${t.duplicates.title}</h4>
      <p>${t.duplicates.intro}</p>
      ${emailUpdates ? html`
        <div class="field">
          <label for="duplicates-email">${t.follow.email}</label>
          <input id="duplicates-email" type="email" autocomplete="email" .value=${d.email}
            aria-describedby=${d.emailError ? 'duplicates-email-error' : nothing} aria-invalid=${d.emailError ? 'true' : nothing}
            @input=${(e: Event) => (d.email = (e.target as HTMLInputElement).value)} />
          ${d.emailError ? html`<p class="error" id="duplicates-email-error">${d.emailError}</p>` : nothing}
        </div>` : nothing}
      ${d.failed ? html`<p class="error" role="alert">${t.duplicates.followFailed}</p>` : nothing}
      <ul>
        ${d.offered.map((r) => html`
          <li>
            <p><strong>${t.detail.title(r.service_request_id)}</strong> · <span class="status status--${r.status}">${statusOf(t, r)}</span>
              · ${t.duplicates.distance(r.distance ?? 0)} · ${t.duplicates.since(dateOf(lang, r.requested_datetime))}</p>
            ${r.description ? html`<p class="detail__description">${r.description}</p>` : nothing}
            ${r.address ? html`<p>${r.address}</p>` : nothing}
            <p>${t.detail.followers(r.extended_attributes?.followers ?? 0)}</p>
            <button type="button" part="button" ?disabled=${d.following !== null} @click=${() => on.follow(r.service_request_id)}>${t.duplicates.follow}</button>
          </li>`)}
      </ul>
      <button type="button" part="button" class="secondary" id="duplicates-different" @click=${on.different}>${t.duplicates.different}</button>
    </section>
  `;
}
