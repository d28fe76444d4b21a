import { html, nothing } from 'lit';
import { characters, LIMITS } from '../../../server/shared/checks.ts';
import type { Attribute } from '../../api/types.ts';
import { describedBy, type StepContext } from '../context.ts';
import type { ReportDraft } from '../draft.ts';

const MAX_DESCRIPTION = LIMITS.description;

const set = (ctx: StepContext, code: string, values: string[]) =>
  ctx.update((d: ReportDraft) => {
    d.attributes[code] = values.filter((v) => v !== '');
  });

function error(ctx: StepContext, id: string) {
  return ctx.errors[id] ? html`<p class="error" id=${`${id}-error`}>${ctx.errors[id]}</p>` : nothing;
}

function label(ctx: StepContext, a: Attribute, id: string) {
  return html`<label for=${id}>${a.description || a.code}${a.required
    ? html` <span class="req">(${ctx.t.required})</span>` : nothing}</label>`;
}

/** One attribute as a form control, by datatype; `variable=false` attributes are information only. */
function attributeField(ctx: StepContext, a: Attribute) {
  const id = `attr-${a.code}`;
  const values = ctx.draft.attributes[a.code] ?? [];
  const hint = a.datatype_description ? html`<p class="hint" id=${`${id}-hint`}>${a.datatype_description}</p>` : nothing;
  const common = { describedby: describedBy(ctx, id, Boolean(a.datatype_description)), invalid: ctx.errors[id] ? 'true' : undefined };
  if (!a.variable) return html`<p class="info" id=${id}>${a.description}</p>`;
  if (a.datatype === 'singlevaluelist' || a.datatype === 'multivaluelist') {
    const multi = a.datatype === 'multivaluelist';
    return html`
      <fieldset class="field" id=${id} aria-describedby=${common.describedby ?? nothing} aria-invalid=${common.invalid ?? nothing}>
        <legend>${a.description || a.code}${a.required ? html` <span class="req">(${ctx.t.required})</span>` : nothing}</legend>
        ${hint} ${error(ctx, id)}
        ${(a.values ?? []).map(
          (v) => html`
            <label class="choice">
              <input type=${multi ? 'checkbox' : 'radio'} name=${id} .value=${v.key} .checked=${values.includes(v.key)}
                @change=${(e: Event) => {
                  const on = (e.target as HTMLInputElement).checked;
                  set(ctx, a.code, multi ? (on ? [...values, v.key] : values.filter((x) => x !== v.key)) : [v.key]);
                }} />
              <span>${v.name}</span>
            </label>
          `,
        )}
      </fieldset>
    `;
  }
  const input = (e: Event) => set(ctx, a.code, [(e.target as HTMLInputElement).value]);
  const control =
    a.datatype === 'text'
      ? html`<textarea id=${id} rows="3" maxlength=${MAX_DESCRIPTION} aria-describedby=${common.describedby ?? nothing}
          aria-invalid=${common.invalid ?? nothing} aria-required=${a.required ? 'true' : nothing} .value=${values[0] ?? ''} @input=${input}></textarea>`
      : html`<input id=${id} type=${a.datatype === 'number' ? 'text' : a.datatype === 'datetime' ? 'datetime-local' : 'text'}
          inputmode=${a.datatype === 'number' ? 'decimal' : nothing} aria-describedby=${common.describedby ?? nothing}
          aria-invalid=${common.invalid ?? nothing} aria-required=${a.required ? 'true' : nothing} .value=${values[0] ?? ''} @input=${input} />`;
  return html`<div class="field">${label(ctx, a, id)} ${hint} ${control} ${error(ctx, id)}</div>`;
}

/** Step 3: the description, with a character counter, and the service's attributes in their order. */
export function detailsStep(ctx: StepContext) {
  const { t, draft } = ctx;
  const left = MAX_DESCRIPTION - characters(draft.description);
  return html`
    <div class="field">
      <label for="description">${t.details.description} <span class="opt">(${t.optional})</span></label>
      <p class="hint" id="description-hint">${t.details.descriptionHint}</p>
      <textarea id="description" rows="5" aria-describedby=${`description-hint description-count${ctx.errors.description ? ' description-error' : ''}`}
        aria-invalid=${ctx.errors.description ? 'true' : nothing} .value=${draft.description}
        @input=${(e: Event) => ctx.update((d) => void (d.description = (e.target as HTMLTextAreaElement).value))}></textarea>
      <p class=${left < 0 ? 'counter over' : 'counter'} id="description-count">${left < 0 ? t.details.charactersOver(-left) : t.details.charactersLeft(left)}</p>
      ${error(ctx, 'description')}
    </div>
    ${[...ctx.attributes].sort((a, b) => a.order - b.order).map((a) => attributeField(ctx, a))}
  `;
}

/** Checks the details step as the server will; returns messages by field id. */
export function checkDetails(ctx: Pick<StepContext, 't' | 'draft' | 'attributes'>): Record<string, string> {
  const errors: Record<string, string> = {};
  const { t, draft } = ctx;
  if (characters(draft.description) > MAX_DESCRIPTION) errors.description = t.details.tooLong(MAX_DESCRIPTION);
  for (const a of ctx.attributes) {
    if (!a.variable) continue;
    const values = draft.attributes[a.code] ?? [];
    const id = `attr-${a.code}`;
    if (values.length === 0) {
      if (a.required) errors[id] = t.details.requiredField(a.description || a.code);
      continue;
    }
    if (a.datatype === 'number' && !/^[+-]?(\d+([.,]\d*)?|[.,]\d+)$/.test(values[0]!.trim())) errors[id] = t.details.number;
    if (a.datatype === 'datetime' && Number.isNaN(Date.parse(values[0]!))) errors[id] = t.details.datetime;
  }
  return errors;
}
