import { html, nothing } from 'lit';
import type { PublicRequest } from '../api/types.ts';
import type { Messages } from '../i18n/index.ts';
import { dateOf, statusOf } from './format.ts';

export interface ListState {
  requests: PublicRequest[];
  page: number;
  pages: number;
}

/**
 * The list twin of the map: the same requests (those in the map's view, with the same filters), as a
 * plain ordered list of buttons, paged, for keyboards and screen readers first.
 */
export function requestList(t: Messages, lang: string, list: ListState, on: { select(id: string): void; page(n: number): void }) {
  return html`
    <ol class="reports__list">
      ${list.requests.map((r) => html`
        <li>
          <button type="button" part="button" class="reports__item" @click=${() => on.select(r.service_request_id)}>
            <span class="reports__item-title">${r.service_name}</span>
            <span class="status status--${r.status}">${statusOf(t, r)}</span>
            ${r.address ? html`<span class="reports__item-address">${r.address}</span>` : nothing}
            <span class="reports__item-date">${t.detail.reported} ${dateOf(lang, r.requested_datetime)}</span>
          </button>
        </li>`)}
    </ol>
    ${list.pages > 1 ? html`
      <nav class="reports__pages" aria-label=${t.map.page(list.page, list.pages)}>
        <button type="button" part="button" class="secondary" ?disabled=${list.page <= 1} @click=${() => on.page(list.page - 1)}>${t.map.previous}</button>
        <span>${t.map.page(list.page, list.pages)}</span>
        <button type="button" part="button" class="secondary" ?disabled=${list.page >= list.pages} @click=${() => on.page(list.page + 1)}>${t.map.nextPage}</button>
      </nav>` : nothing}
  `;
}
