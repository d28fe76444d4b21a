import type { LitConstructor } from './config.ts';

/**
 * The colour attributes, and the custom property each sets on the element. They are set through the
 * CSSOM (`style.setProperty`), which a Content-Security-Policy without `'unsafe-inline'` allows, where a
 * `style` attribute in the page's markup would be dropped: a CMS prints these instead.
 */
export const COLOUR_ATTRIBUTES: Record<string, string> = {
  accent: '--georeport-accent',
  'accent-text': '--georeport-accent-text',
  'text-color': '--georeport-text',
  'background-color': '--georeport-background',
};
const COLOUR = /^#(?:[0-9a-f]{3}){1,2}$/i;

/** Adds the colour attributes to a top-level element (the parts inside inherit the properties). */
export function Coloured<T extends LitConstructor>(Base: T) {
  class ColouredElement extends Base {
    static get observedAttributes(): string[] {
      // Lit's own list, for the class being defined (`this`), and the colours.
      return [...(Reflect.get(Base, 'observedAttributes', this) as string[]), ...Object.keys(COLOUR_ATTRIBUTES)];
    }

    override attributeChangedCallback(name: string, old: string | null, value: string | null) {
      super.attributeChangedCallback(name, old, value);
      const property = COLOUR_ATTRIBUTES[name];
      if (!property) return;
      // Only a colour as #rgb or #rrggbb: anything else leaves the element's default.
      if (value !== null && COLOUR.test(value.trim())) this.style.setProperty(property, value.trim());
      else this.style.removeProperty(property);
    }
  }
  return ColouredElement;
}
