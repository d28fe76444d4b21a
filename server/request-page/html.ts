const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text made safe to stand anywhere in HTML: in an element or a quoted attribute value. */
export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (ch) => ESCAPES[ch]!);

/** Markup written by the `html` tag: its values were escaped when it was made, so it goes in as it is. */
export class Html {
  constructor(readonly text: string) {}
  toString() {
    return this.text;
  }
}

/** What a template may hold: markup from `html`, text (escaped), or nothing (null, undefined, false); lists of them. */
export type HtmlValue = Html | string | number | null | undefined | false | readonly HtmlValue[];

const render = (value: HtmlValue): string =>
  value instanceof Html ? value.text
  : Array.isArray(value) ? value.map(render).join('')
  : value === null || value === undefined || value === false ? ''
  : escapeHtml(String(value));

/**
 * A tagged template for the pages the server writes: every value is escaped as text unless it is itself
 * `Html` from this tag, so markup can only come from the templates, never from what residents, staff or
 * the catalogue wrote. Attribute values must be quoted in the template.
 * @example html`<p class="note">${note}</p>` // a note holding <script> shows as text
 */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): Html {
  let out = strings[0]!;
  values.forEach((value, i) => (out += render(value) + strings[i + 1]!));
  return new Html(out);
}
