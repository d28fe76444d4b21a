/**
 * The languages the widget speaks, apart from their dictionaries: the loader (`loader.ts`) reads them to
 * fetch the page's dictionary and a form's first calls beside the widget's code, and `index.ts` to pick
 * an element's dictionary.
 */
export const LANGUAGES = ['en', 'fr'] as const;
export type Language = (typeof LANGUAGES)[number];

/** A `lang` value as the widget's language: its primary subtag (`fr-CA` → `fr`) when spoken, else English. */
export function spoken(lang: string): Language {
  const primary = lang.toLowerCase().split('-')[0];
  return LANGUAGES.find((l) => l === primary) ?? 'en';
}

/**
 * An element's language: its own `lang`, else the closest ancestor's (crossing shadow roots), else the
 * page's, else English; only the primary subtag counts (`fr-CA` → `fr`).
 */
export function languageOf(element: Element): Language {
  let node: Node | null = element;
  while (node) {
    if (node instanceof Element && node.getAttribute('lang')) return spoken(node.getAttribute('lang')!);
    node = node instanceof ShadowRoot ? node.host : node.parentNode;
  }
  return 'en';
}
