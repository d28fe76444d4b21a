import { html, nothing } from 'lit';
import type { PublicRequest } from '../api/types.ts';
import type { Messages } from '../i18n/index.ts';
import { dateOf, statusOf } from './format.ts';

export interface FollowState {
  state: 'idle' | 'sending' | 'done' | 'failed';
  email: string;
  /** Done, the e-mails asked for wait for the resident to confirm their address from their inbox. */
  confirmEmail: boolean;
  /** A message for the e-mail field. */
  error: string;
  /** The server sends e-mail: updates by e-mail are offered. */
  emailOffered?: boolean;
}

export interface DetailHandlers {
  close(): void;
  email(value: string): void;
  follow(): void;
}

/**
 * One request in full: category, status and its public timeline with the city's notes, photos, address,
 * dates, followers, a link to its page (`pageUrl`), and "me too". Everything the server sent is shown as
 * text (Lit escapes it); photos are plain images with alternative text.
 */
export function requestDetail(t: Messages, lang: string, r: PublicRequest, pageUrl: string, follow: FollowState, on: DetailHandlers) {
  const ext = r.extended_attributes;
  const photos = ext?.media_urls ?? (r.media_url ? [r.media_url] : []);
  const date = (iso: string) => dateOf(lang, iso);
  return html`
    <section class="detail" aria-labelledby="detail-title" @keydown=${(e: KeyboardEvent) => e.key === 'Escape' && on.close()}>
      <h3 id="detail-title" tabindex="-1">${t.detail.title(r.service_request_id)} · ${r.service_name}</h3>
      <p><span class="status status--${r.status}">${statusOf(t, r)}</span></p>
      ${ext?.title ? html`<p class="detail__title">${ext.title}</p>` : nothing}
      ${r.description ? html`<p class="detail__description">${r.description}</p>` : nothing}
      <dl class="detail__facts">
        ${r.address ? html`<dt>${t.detail.address}</dt><dd>${r.address}</dd>` : nothing}
        <dt>${t.detail.reported}</dt><dd>${date(r.requested_datetime)}</dd>
        <dt>${t.detail.updated}</dt><dd>${date(r.updated_datetime)}</dd>
        ${r.expected_datetime ? html`<dt>${t.detail.expected}</dt><dd>${date(r.expected_datetime)}</dd>` : nothing}
      </dl>
      ${r.status_notes ? html`<p class="detail__note"><strong>${t.detail.note}</strong> ${r.status_notes}</p>` : nothing}
      ${photos.length ? html`<ul class="detail__photos">${photos.map((src, i) => html`<li><img src=${src} alt=${t.detail.photo(i + 1)} loading="lazy" /></li>`)}</ul>` : nothing}
      ${ext?.history.length ? html`
        <h4>${t.detail.history}</h4>
        <ol class="detail__history">
          ${ext.history.map((e) => html`<li><span>${date(e.datetime)}</span> — <span>${e.detailed_status ? t.statuses[e.detailed_status] : ''}</span>${e.note ? html`<span class="detail__event-note">${e.note}</span>` : nothing}</li>`)}
        </ol>` : nothing}
      <p class="detail__followers">${t.detail.followers(ext?.followers ?? 0)}</p>
      <p><a class="detail__page" part="link" href=${pageUrl}>${t.afterSending.page}</a></p>
      ${r.status === 'open' ? followForm(t, follow, on) : nothing}
      <p><button type="button" part="button" class="secondary" @click=${on.close}>${t.detail.close}</button></p>
    </section>
  `;
}

function followForm(t: Messages, follow: FollowState, on: DetailHandlers) {
  if (follow.state === 'done') {
    return html`<p class="notice" role="status">${t.follow.done}${follow.confirmEmail ? ` ${t.follow.checkInbox}` : ''}</p>`;
  }
  return html`
    <form class="detail__follow" novalidate @submit=${(e: Event) => (e.preventDefault(), on.follow())}>
      ${follow.emailOffered ? html`<div class="field">
        <label for="follow-email">${t.follow.email}</label>
        <input id="follow-email" type="email" autocomplete="email" .value=${follow.email}
          aria-describedby=${follow.error ? 'follow-email-error' : nothing} aria-invalid=${follow.error ? 'true' : nothing}
          @input=${(e: Event) => on.email((e.target as HTMLInputElement).value)} />
        ${follow.error ? html`<p class="error" id="follow-email-error">${follow.error}</p>` : nothing}
      </div>` : nothing}
      ${follow.state === 'failed' ? html`<p class="error" role="alert">${t.follow.failed}</p>` : nothing}
      <button type="submit" part="button" ?disabled=${follow.state === 'sending'}>${t.follow.button}</button>
    </form>
  `;
}
