import { html, nothing } from 'lit';
import type { Submitted } from '../api/types.ts';
import type { Messages } from '../i18n/index.ts';

/**
 * How the report ended: filed (with the server's answer, and whether e-mail updates were asked for, which
 * wait for the address to be confirmed), or an existing request followed instead.
 */
export type Outcome = { kind: 'filed'; answer: Submitted; confirmEmail: boolean } | { kind: 'followed'; id: string; followers: number; confirmEmail: boolean };

/** The screen after sending or following: the tracking number (announced, and focused), then "another". */
export function resultScreen(t: Messages, outcome: Outcome, another: () => void) {
  const filed = outcome.kind === 'filed' ? outcome.answer : null;
  const id = filed ? filed.service_request_id : outcome.kind === 'followed' ? outcome.id : undefined;
  return html`
    <section part="form" class="result">
      <h2 class="title" id="result-title" tabindex="-1">${filed ? t.result.title : t.result.followedTitle}</h2>
      <p role="status" aria-live="polite">${outcome.kind === 'followed' ? t.result.followed(outcome.id, outcome.followers)
        : id ? t.result.number(id) : t.result.queued}</p>
      ${id ? html`<p class="tracking" aria-hidden="true"><strong>${id}</strong></p>` : nothing}
      ${outcome.confirmEmail ? html`<p class="notice">${t.follow.checkInbox}</p>` : nothing}
      ${filed?.service_notice ? html`<p>${filed.service_notice}</p>` : nothing}
      <button type="button" part="button" @click=${another}>${t.result.another}</button>
    </section>
  `;
}
