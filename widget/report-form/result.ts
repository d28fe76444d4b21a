import { html, nothing } from 'lit';
import type { Submitted } from '../api/types.ts';
import type { Messages } from '../i18n/index.ts';
import { dateOf } from '../request-map/format.ts';

/**
 * How the report ended: filed (with the server's answer, and whether e-mail updates were asked for, which
 * wait for the address to be confirmed), or an existing request followed instead.
 */
export type Outcome = { kind: 'filed'; answer: Submitted; confirmEmail: boolean } | { kind: 'followed'; id: string; followers: number; confirmEmail: boolean };

/**
 * The screen after sending or following: the tracking number (announced, and focused), when the city
 * expects to deal with it, what happens next (checked by a moderator first, or public at once), a link to
 * the request's page once it is public, then "another".
 */
export function resultScreen(t: Messages, lang: string, outcome: Outcome, pageUrl: (id: string) => string, another: () => void) {
  const filed = outcome.kind === 'filed' ? outcome.answer : null;
  const id = filed ? filed.service_request_id : outcome.kind === 'followed' ? outcome.id : undefined;
  const ext = filed?.extended_attributes;
  const held = ext?.visibility === 'pending';
  return html`
    <section part="form" class="result">
      <h2 class="title" id="result-title" tabindex="-1">${filed ? t.result.title : t.result.followedTitle}</h2>
      <p role="status" aria-live="polite">${outcome.kind === 'followed' ? t.result.followed(outcome.id, outcome.followers)
        : id ? t.result.number(id) : t.result.queued}</p>
      ${id ? html`<p class="tracking" aria-hidden="true"><strong>${id}</strong></p>` : nothing}
      ${ext?.expected_datetime ? html`<p>${t.afterSending.expected(dateOf(lang, ext.expected_datetime))}</p>` : nothing}
      ${ext && id ? html`<h3>${t.afterSending.next}</h3><p>${held ? t.afterSending.held : t.afterSending.published}</p>` : nothing}
      ${outcome.confirmEmail ? html`<p class="notice">${t.follow.checkInbox}</p>` : nothing}
      ${filed?.service_notice ? html`<p>${filed.service_notice}</p>` : nothing}
      ${id && !held ? html`<p><a class="result__page" part="link" href=${pageUrl(id)}>${t.afterSending.page}</a></p>` : nothing}
      <button type="button" part="button" @click=${another}>${t.result.another}</button>
    </section>
  `;
}
