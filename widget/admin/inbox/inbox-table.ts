import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { INBOX_SORTS, type InboxSort } from '../../../server/shared/inbox.ts';
import { adminStyles } from '../admin.styles.ts';
import { dateFormat, numberFormat } from '../formats.ts';
import type { AdminTexts } from '../texts.ts';
import { InboxOpenEvent, InboxSelectEvent, InboxSortEvent } from './inbox-events.ts';
import type { InboxItem } from './inbox-route.ts';
import { inboxStyles } from './inbox.styles.ts';

/** The columns left out when the list is compact (a request open beside it): the request shows them. */
const WIDE: ReadonlySet<InboxSort> = new Set(['age', 'status', 'channel']);

/** How long ago, in the back office's language and the shortest unit that reads well: `5 min`, `3 h`, `2 j`. */
function age(iso: string, now: number, locale: string): string {
  const minutes = Math.max(0, Math.round((now - Date.parse(iso)) / 60_000));
  const [value, unit] = minutes < 60 ? [minutes, 'minute'] : minutes < 48 * 60 ? [Math.round(minutes / 60), 'hour'] : [Math.round(minutes / 1440), 'day'];
  return numberFormat(locale, { style: 'unit', unit, unitDisplay: 'short' }).format(value);
}

/** A due time: its hour when it falls today, else its date. */
function due(iso: string, now: number, locale: string): string {
  const when = new Date(iso);
  const today = when.toDateString() === new Date(now).toDateString();
  return dateFormat(locale, today ? { timeStyle: 'short' } : { day: 'numeric', month: 'short' }).format(when);
}

/**
 * The inbox's table: a request a row, sortable by any column (a button in each header, `aria-sort` on
 * the one sorted), a checkbox a row to select requests for bulk actions (and one for the whole page), the
 * request open beside the list marked. Keyboard: one row is in the tab order; j or ↓ and k or ↑ move the
 * focus (the row is read out), Home and End go to the ends, Enter opens the row's request, x or Space
 * selects it.
 *
 * @event georeport-inbox-sort - a column's header was pressed
 * @event georeport-inbox-open - Enter was pressed on a row
 * @event georeport-inbox-select - the selection changed (`ids`: all of it)
 */
export class AdminInboxTable extends LitElement {
  static override styles = [adminStyles, inboxStyles];
  static override properties = {
    items: { attribute: false }, t: { attribute: false }, sort: { attribute: false }, selected: { attribute: false },
    selectable: { type: Boolean }, compact: { type: Boolean, reflect: true }, openId: { type: String, attribute: 'open-id' }, caption: { type: String },
    href: { attribute: false }, active: { state: true },
  };
  declare items: InboxItem[];
  declare t: AdminTexts;
  declare sort: { key: InboxSort; descending: boolean };
  declare selected: string[];
  /** Checkboxes to select requests (agents). */
  declare selectable: boolean;
  /** Beside an open request: the channel and the description's start are left to it. */
  declare compact: boolean;
  /** The request open beside the list. */
  declare openId: string;
  declare caption: string;
  /** The address of a request's view. */
  declare href: (id: string) => string;
  /** The row in the tab order. */
  declare active: number;

  constructor() {
    super();
    this.items = [];
    this.sort = { key: 'age', descending: false };
    this.selected = [];
    this.selectable = false;
    this.compact = false;
    this.openId = '';
    this.caption = '';
    this.href = (id) => `#/requests/${id}`;
    this.active = 0;
  }

  override willUpdate(changed: PropertyValues<this>) {
    if (changed.has('items') || changed.has('openId')) {
      const open = this.items.findIndex((r) => r.service_request_id === this.openId);
      this.active = open >= 0 ? open : Math.min(this.active, Math.max(0, this.items.length - 1));
    }
  }

  /** The row of a request, to give it the focus (after its view closed, say). */
  rowOf(id: string): HTMLElement | null {
    return this.renderRoot.querySelector(`tr[data-id="${CSS.escape(id)}"]`);
  }

  private header(key: InboxSort) {
    const sorted = this.sort.key === key;
    const label = this.t.inbox.columns[key];
    return html`<th scope="col" class=${WIDE.has(key) ? 'wide' : ''} aria-sort=${sorted ? (this.sort.descending ? 'descending' : 'ascending') : nothing}>
      <button type="button" class="sort" @click=${() => this.dispatchEvent(new InboxSortEvent(key))}>${label}<span class="arrow" aria-hidden="true">${sorted ? (this.sort.descending ? '▼' : '▲') : ''}</span></button></th>`;
  }

  override render() {
    const t = this.t;
    const now = Date.now();
    const chosen = new Set(this.selected);
    const all = this.items.length > 0 && this.items.every((r) => chosen.has(r.service_request_id));
    const some = !all && this.items.some((r) => chosen.has(r.service_request_id));
    return html`
      <div class="scroll"><table class="inbox" aria-describedby="keys">
        <caption class="sr-only">${this.caption}</caption>
        <thead><tr>
          ${this.selectable ? html`<th scope="col" class="pick"><input type="checkbox" aria-label=${t.inbox.selectPage} .checked=${all} .indeterminate=${some}
            @change=${(e: Event) => this.choose(this.items.map((r) => r.service_request_id), (e.target as HTMLInputElement).checked)} /></th>` : nothing}
          ${INBOX_SORTS.map((key) => this.header(key))}
        </tr></thead>
        <tbody @keydown=${this.onKey} @focusin=${this.onFocus}>${repeat(this.items, (r) => r.service_request_id, (r, i) => html`
          <tr data-id=${r.service_request_id} tabindex=${i === this.active ? '0' : '-1'} aria-current=${r.service_request_id === this.openId ? 'true' : nothing}>
            ${this.selectable ? html`<td class="pick"><input type="checkbox" aria-label=${t.inbox.select(r.service_request_id)} .checked=${chosen.has(r.service_request_id)}
              @change=${(e: Event) => this.choose([r.service_request_id], (e.target as HTMLInputElement).checked)} /></td>` : nothing}
            <td class="number"><a href=${this.href(r.service_request_id)}>${r.service_request_id}</a></td>
            <td>${r.service_name}${r.description ? html`<span class="excerpt muted wide">${r.description}</span>` : nothing}</td>
            <td>${r.address ?? html`<span class="muted">${t.inbox.noPlace}</span>`}</td>
            <td class="age wide"><time datetime=${r.requested_datetime}>${age(r.requested_datetime, now, t.locale)}</time></td>
            <td class="wide">${t.statuses[r.detailed_status] ?? r.detailed_status}${r.visibility !== 'published' ? html`<br /><span class="muted">${t.visibilities[r.visibility]}</span>` : nothing}</td>
            <td><span class=${`sla sla--${r.sla.state}`}>${t.inbox.sla[r.sla.state]}</span>${r.sla.due && r.sla.state !== 'none'
              ? html`<br /><span class="muted">${t.inbox.dueOn(due(r.sla.due, now, t.locale))}</span>` : nothing}</td>
            <td>${r.assignee?.name ?? html`<span class="muted">${t.inbox.nobody}</span>`}</td>
            <td class="wide channel">${t.channels[r.channel] ?? r.channel}</td>
          </tr>`)}</tbody>
      </table></div>
      <p id="keys" class="muted">${t.inbox.keys}</p>`;
  }

  /** Adds `ids` to the selection or takes them out of it. */
  private choose(ids: string[], on: boolean) {
    const next = new Set(this.selected);
    for (const id of ids) {
      if (on) next.add(id);
      else next.delete(id);
    }
    this.dispatchEvent(new InboxSelectEvent(this.items.map((r) => r.service_request_id).filter((id) => next.has(id))));
  }

  /** The focus entering a row (by Tab, a click or the keys) makes it the row in the tab order. */
  private onFocus = (e: FocusEvent) => {
    const row = (e.target as HTMLElement).closest('tr');
    const i = row ? [...row.parentElement!.children].indexOf(row) : -1;
    if (i >= 0) this.active = i;
  };

  private onKey = (e: KeyboardEvent) => {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const row = (e.target as HTMLElement).closest('tr');
    if (!row) return;
    const onRow = e.target === row;
    const i = [...row.parentElement!.children].indexOf(row);
    const id = this.items[i]?.service_request_id;
    const moves: Record<string, number> = { j: i + 1, ArrowDown: i + 1, k: i - 1, ArrowUp: i - 1, Home: 0, End: this.items.length - 1 };
    if (e.key in moves) {
      e.preventDefault();
      void this.focusRow(Math.max(0, Math.min(this.items.length - 1, moves[e.key]!)));
    } else if (e.key === 'Enter' && onRow && id) {
      e.preventDefault();
      this.dispatchEvent(new InboxOpenEvent(id));
    } else if ((e.key === 'x' || (e.key === ' ' && onRow)) && this.selectable && id) {
      e.preventDefault();
      this.choose([id], !this.selected.includes(id));
    }
  };

  private async focusRow(i: number) {
    this.active = i;
    await this.updateComplete;
    const row = this.renderRoot.querySelectorAll('tbody tr')[i] as HTMLElement | undefined;
    row?.focus();
    row?.scrollIntoView({ block: 'nearest' });
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'georeport-admin-inbox-table': AdminInboxTable;
  }
}
