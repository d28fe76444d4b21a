import { html, nothing } from 'lit';
import { characters, isEmailAddress, isPhoneNumber, LIMITS } from '../../../server/shared/checks.ts';
import { describedBy, type StepContext } from '../context.ts';
import type { ReportDraft } from '../draft.ts';

type Mode = ReportDraft['contact']['mode'];
type TextKey = 'firstName' | 'lastName' | 'organisation' | 'email' | 'phone';
/** Each text field's parameter, whose limit the server applies (the shared checks). */
const PARAMETER = { organisation: 'organisation', firstName: 'first_name', lastName: 'last_name', email: 'email', phone: 'phone' } as const;

function text(ctx: StepContext, key: TextKey, label: string, type = 'text', autocomplete = 'off') {
  const error = ctx.errors[key];
  return html`
    <div class="field">
      <label for=${key}>${label}</label>
      <input id=${key} type=${type} autocomplete=${autocomplete} maxlength=${LIMITS[PARAMETER[key]]} .value=${ctx.draft.contact[key]}
        aria-describedby=${describedBy(ctx, key, false) ?? nothing} aria-invalid=${error ? 'true' : nothing}
        @input=${(e: Event) => ctx.update((d) => void (d.contact[key] = (e.target as HTMLInputElement).value))} />
      ${error ? html`<p class="error" id=${`${key}-error`}>${error}</p>` : nothing}
    </div>
  `;
}

/**
 * Step 5: anonymous, or identified as a person or an organisation, with what becomes public and consent;
 * updates by e-mail are offered when the server sends e-mail (`emailUpdates`).
 */
export function contactStep(ctx: StepContext, anonymousAllowed: boolean, emailUpdates: boolean) {
  const { t, draft } = ctx;
  const modes: [Mode, string][] = [['anonymous', t.contact.anonymous], ['person', t.contact.person], ['organisation', t.contact.organisation]];
  const identified = draft.contact.mode !== 'anonymous';
  return html`
    <p class="notice" id="public-note">${t.contact.publicNote}</p>
    <fieldset class="choices" id="mode" aria-describedby=${ctx.errors.mode ? 'mode-error' : nothing} aria-invalid=${ctx.errors.mode ? 'true' : nothing}>
      <legend>${t.contact.who}</legend>
      ${ctx.errors.mode ? html`<p class="error" id="mode-error">${ctx.errors.mode}</p>` : nothing}
      ${modes
        .filter(([mode]) => anonymousAllowed || mode !== 'anonymous')
        .map(
          ([mode, label]) => html`
            <label class="choice">
              <input type="radio" name="mode" .value=${mode} .checked=${draft.contact.mode === mode}
                @change=${() => ctx.update((d) => void (d.contact.mode = mode))} />
              <span>${label}</span>
            </label>
          `,
        )}
    </fieldset>
    ${identified
      ? html`
          ${draft.contact.mode === 'organisation' ? text(ctx, 'organisation', t.contact.organisationName, 'text', 'organization') : nothing}
          ${text(ctx, 'firstName', t.contact.firstName, 'text', 'given-name')}
          ${text(ctx, 'lastName', t.contact.lastName, 'text', 'family-name')}
          ${text(ctx, 'email', t.contact.email, 'email', 'email')}
          ${emailUpdates && draft.contact.email.trim() ? html`
            <label class="choice">
              <input id="email-updates" type="checkbox" .checked=${draft.contact.emailUpdates}
                @change=${(e: Event) => ctx.update((d) => void (d.contact.emailUpdates = (e.target as HTMLInputElement).checked))} />
              <span>${t.contact.emailUpdates}</span>
            </label>` : nothing}
          ${text(ctx, 'phone', t.contact.phone, 'tel', 'tel')}
          <div class="field">
            <label class="choice">
              <input id="consent" type="checkbox" .checked=${draft.contact.consent} aria-describedby="public-note${ctx.errors.consent ? ' consent-error' : ''}"
                aria-invalid=${ctx.errors.consent ? 'true' : nothing}
                @change=${(e: Event) => ctx.update((d) => void (d.contact.consent = (e.target as HTMLInputElement).checked))} />
              <span>${t.contact.consent}</span>
            </label>
            ${ctx.errors.consent ? html`<p class="error" id="consent-error">${ctx.errors.consent}</p>` : nothing}
          </div>
        `
      : nothing}
  `;
}

/**
 * Checks the contact step with the server's own checks (shared), so that what passes here passes there;
 * with `anonymousAllowed` false (`contact-required`), a way to reach the resident is needed.
 */
export function checkContact(ctx: Pick<StepContext, 't' | 'draft'>, anonymousAllowed = true): Record<string, string> {
  const { t, draft } = ctx;
  const errors: Record<string, string> = {};
  if (draft.contact.mode === 'anonymous') return anonymousAllowed ? errors : { mode: t.contact.whoRequired };
  for (const key of Object.keys(PARAMETER) as TextKey[]) {
    const max = LIMITS[PARAMETER[key]];
    if (characters(draft.contact[key].trim()) > max) errors[key] = t.refusals['field.too_long']({ label: '', max, seconds: 0 });
  }
  const email = draft.contact.email.trim();
  if (email && !isEmailAddress(email)) errors.email ??= t.contact.emailInvalid;
  const phone = draft.contact.phone.trim();
  if (phone && !isPhoneNumber(phone)) errors.phone ??= t.refusals['phone.invalid'];
  if (!draft.contact.consent) errors.consent = t.contact.consentRequired;
  return errors;
}
