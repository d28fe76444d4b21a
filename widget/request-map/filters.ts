import { html } from 'lit';
import type { RequestFilters, Service } from '../api/types.ts';
import type { Messages } from '../i18n/index.ts';

const PERIODS = [0, 30, 7];

/** The map's and the list's filters: status, category, period. Each change applies at once. */
export function filtersForm(t: Messages, filters: RequestFilters, services: Service[], change: (f: RequestFilters) => void) {
  const set = (patch: Partial<RequestFilters>) => change({ ...filters, ...patch });
  const value = (e: Event) => (e.target as HTMLSelectElement).value;
  return html`
    <fieldset class="reports__filters">
      <legend>${t.map.filters}</legend>
      <div class="field">
        <label for="filter-status">${t.map.status}</label>
        <select id="filter-status" @change=${(e: Event) => set({ status: value(e) as RequestFilters['status'] })}>
          <option value="" ?selected=${filters.status === ''}>${t.map.anyStatus}</option>
          <option value="open" ?selected=${filters.status === 'open'}>${t.map.open}</option>
          <option value="closed" ?selected=${filters.status === 'closed'}>${t.map.closed}</option>
        </select>
      </div>
      <div class="field">
        <label for="filter-service">${t.map.category}</label>
        <select id="filter-service" @change=${(e: Event) => set({ service: value(e) })}>
          <option value="" ?selected=${filters.service === ''}>${t.map.anyCategory}</option>
          ${services.map((s) => html`<option value=${s.service_code} ?selected=${filters.service === s.service_code}>${s.service_name}</option>`)}
        </select>
      </div>
      <div class="field">
        <label for="filter-period">${t.map.period}</label>
        <select id="filter-period" @change=${(e: Event) => set({ days: Number(value(e)) })}>
          ${PERIODS.map((d) => html`<option value=${d} ?selected=${filters.days === d}>${t.map.periods[d]}</option>`)}
        </select>
      </div>
    </fieldset>
  `;
}
