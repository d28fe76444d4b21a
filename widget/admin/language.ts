/** The languages the back office speaks. */
export const ADMIN_LANGUAGES = ['fr', 'en'] as const;
export type AdminLanguage = (typeof ADMIN_LANGUAGES)[number];

const known = (tag: string): AdminLanguage | undefined => ADMIN_LANGUAGES.find((l) => l === tag.toLowerCase().split('-')[0]);

/**
 * The back office's language, chosen as the widget's is: the element's own `lang`, else the closest
 * ancestor's (crossing shadow roots; `<html lang>` last), else the browser's language, else English. Only
 * the primary subtag counts (`fr-CA` → `fr`); a declared language the back office does not speak gives
 * English, as in the widget, rather than skipping to the browser's.
 */
export function adminLanguageOf(element: Element): AdminLanguage {
  for (let node: Node | null = element; node; node = node instanceof ShadowRoot ? node.host : node.parentNode) {
    const lang = node instanceof Element ? node.getAttribute('lang') : null;
    if (lang) return known(lang) ?? 'en';
  }
  return known(navigator.language ?? '') ?? 'en';
}
