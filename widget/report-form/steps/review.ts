import { html, nothing } from 'lit';
import type { StepContext } from '../context.ts';

/**
 * Step 6: everything entered, each part with a way back to change it: a stacked list (the part's name and
 * its button on one line, what was entered below at full width), readable from 320 px up. `pin`: where the
 * pin is, in words, unless the address was found for it.
 */
export function reviewStep(ctx: StepContext, photos: number, pin: string | null, goTo: (step: number) => void) {
  const { t, draft } = ctx;
  const service = ctx.services.find((s) => s.service_code === draft.serviceCode);
  const answers = ctx.attributes
    .filter((a) => a.variable && (draft.attributes[a.code] ?? []).length > 0)
    .map((a) => {
      const values = draft.attributes[a.code]!;
      const names = a.values ? values.map((v) => a.values!.find((x) => x.key === v)?.name ?? v) : values;
      return [a.description || a.code, names.join(', ')] as const;
    });
  // The address in words, and the pin when the address does not already say where it is.
  const where = html`${draft.location.address ? html`<p>${draft.location.address}</p>` : nothing}${pin ? html`<p>${pin}</p>` : nothing}`;
  const who = draft.contact.mode === 'anonymous' ? t.review.anonymous : [draft.contact.organisation, draft.contact.firstName, draft.contact.lastName, draft.contact.email, draft.contact.phone].filter(Boolean).join(', ');
  const row = (step: number, term: string, value: unknown) => html`
    <div class="review-row">
      <dt>${term}</dt>
      <dd class="review-edit"><button type="button" class="link" aria-label=${t.review.edit(term)} @click=${() => goTo(step)}>${t.review.change}</button></dd>
      <dd class="review-value">${value}</dd>
    </div>
  `;
  return html`
    <dl class="review">
      ${row(0, t.steps.category, service?.service_name ?? '')}
      ${row(1, t.steps.location, where)}
      ${row(2, t.steps.details, html`${draft.description ? html`<p>${draft.description}</p>` : nothing}${answers.map(([k, v]) => html`<p>${t.review.answer(k, v)}</p>`)}`)}
      ${row(3, t.steps.photos, photos === 0 ? t.review.noPhotos : String(photos))}
      ${row(4, t.steps.contact, who)}
    </dl>
  `;
}
