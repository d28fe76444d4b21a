import type { Messages } from './en.ts';
import type { Language } from './languages.ts';

export type { Messages };
export { languageOf } from './languages.ts';

/**
 * Each language's dictionary is a file of its own, loaded when an element first speaks it: a page
 * needs one, and the other would weigh a quarter of the first step's bytes for nothing.
 */
const DICTIONARIES: Record<Language, () => Promise<Messages>> = {
  en: () => import('./en.ts').then((m) => m.en),
  fr: () => import('./fr.ts').then((m) => m.fr),
};
const loaded = new Map<string, Messages>();
const loading = new Map<string, Promise<Messages>>();

/** A language's dictionary if it has loaded (undefined: ask `loadMessages`). */
export const messagesFor = (lang: Language): Messages | undefined => loaded.get(lang);

/** Loads a language's dictionary once for the page; a failed load is tried again on the next call. */
export function loadMessages(lang: Language): Promise<Messages> {
  let pending = loading.get(lang);
  if (!pending) {
    pending = DICTIONARIES[lang]().then(
      (messages) => (loaded.set(lang, messages), messages),
      (err: unknown) => {
        loading.delete(lang);
        throw err;
      },
    );
    loading.set(lang, pending);
  }
  return pending;
}

/**
 * A language's dictionary once it has loaded: while it cannot (the connection dropped), it is tried again
 * after 2, 4, 8… seconds, a minute apart at most, the first failure told in the console.
 */
export async function messagesOnceLoaded(lang: Language): Promise<Messages> {
  for (let wait = 2000; ; wait = Math.min(wait * 2, 60_000)) {
    try {
      return await loadMessages(lang);
    } catch (err) {
      if (wait === 2000) console.error(`georeport: the texts in "${lang}" could not load; trying again`, err);
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}
