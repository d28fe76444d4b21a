import { html, nothing } from 'lit';
import type { Service } from '../../api/types.ts';
import type { StepContext } from '../context.ts';
import { groupIcon } from '../group-icons.ts';

/** Lower-case, accents removed: "Éclairage" matches "eclairage". */
const fold = (text: string) => text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

/** Services whose name, keywords, description or group contain every word of the query. */
export function filterServices(services: Service[], query: string): Service[] {
  const words = fold(query).split(/\s+/).filter(Boolean);
  if (words.length === 0) return services;
  return services.filter((s) => {
    const text = fold(`${s.service_name} ${s.keywords} ${s.description} ${s.group}`);
    return words.every((w) => text.includes(w));
  });
}

/** Step 1: the category, by group (each with its icon), with a search over names and keywords. */
export function categoryStep(ctx: StepContext, query: string, onQuery: (q: string) => void) {
  const { t, draft } = ctx;
  const shown = filterServices(ctx.services, query);
  const groups = [...new Set(shown.map((s) => s.group || ''))];
  return html`
    <div class="field">
      <label for="search">${t.category.search}</label>
      <p class="hint" id="search-hint">${t.category.searchHint}</p>
      <input id="search" type="search" autocomplete="off" aria-describedby="search-hint search-count"
        .value=${query} @input=${(e: Event) => onQuery((e.target as HTMLInputElement).value)} />
    </div>
    ${shown.length === 0 ? html`<p class="notice" id="search-count" role="status">${t.category.noMatch}</p>` : nothing}
    <fieldset class="choices" aria-describedby=${ctx.errors.service ? 'service-error' : nothing} aria-invalid=${ctx.errors.service ? 'true' : nothing}>
      <legend class="visually-hidden">${t.steps.category}</legend>
      ${ctx.errors.service ? html`<p class="error" id="service-error">${ctx.errors.service}</p>` : nothing}
      ${groups.map(
        (group) => html`
          <div class="group" role="group" aria-label=${group || nothing}>
            ${group ? html`<p class="group-name" aria-hidden="true">${groupIcon(group)}<span>${group}</span></p>` : nothing}
            ${shown
              .filter((s) => (s.group || '') === group)
              .map(
                (s) => html`
                  <label class="choice">
                    <input type="radio" name="service" id=${`service-${s.service_code}`} .value=${s.service_code}
                      .checked=${draft.serviceCode === s.service_code}
                      aria-describedby=${s.description ? `desc-${s.service_code}` : nothing}
                      @change=${() => ctx.update((d) => {
                        if (d.serviceCode !== s.service_code) d.attributes = {};
                        d.serviceCode = s.service_code;
                      })} />
                    <span class="choice-name">${s.service_name}</span>
                    ${s.description ? html`<span class="choice-desc" id=${`desc-${s.service_code}`}>${s.description}</span>` : nothing}
                  </label>
                `,
              )}
          </div>
        `,
      )}
    </fieldset>
  `;
}
