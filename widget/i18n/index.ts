import { en, type Messages } from './en.ts';
import { fr } from './fr.ts';

export type { Messages };
const DICTIONARIES: Record<string, Messages> = { en, fr };
export const LANGUAGES = Object.keys(DICTIONARIES);

/**
 * The widget's language: its own `lang`, else the closest ancestor's (crossing shadow roots), else the
 * page's, else English; only the primary subtag counts (`fr-CA` → `fr`).
 */
export function languageOf(element: Element): string {
  let node: Node | null = element;
  while (node) {
    if (node instanceof Element && node.getAttribute('lang')) {
      const lang = node.getAttribute('lang')!.toLowerCase().split('-')[0]!;
      return DICTIONARIES[lang] ? lang : 'en';
    }
    node = node instanceof ShadowRoot ? node.host : node.parentNode;
  }
  return 'en';
}

export const messagesFor = (lang: string): Messages => DICTIONARIES[lang] ?? en;
