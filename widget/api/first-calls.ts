import type { ClientOptions } from './client.ts';

/**
 * A form's first two calls, its catalogue and its key check, which the loader (`loader.ts`) starts at the
 * same time as it fetches the widget's core rather than once the core has run: the categories then show
 * one round trip sooner on a phone. The URLs are built here for the loader and the client alike, so that
 * they match; the client takes each answer once (`takeEarly`), and asks again for anything else.
 */

/** A GeoReport URL as the client asks for it: the town first, then `params`, empty values left out. */
export function apiUrl(options: Pick<ClientOptions, 'server' | 'jurisdiction'>, path: string, params: Record<string, string | undefined> = {}): URL {
  const url = new URL(path, new URL('open311/v2/', new URL(options.server, location.href)));
  for (const [k, v] of Object.entries({ jurisdiction_id: options.jurisdiction, ...params })) if (v) url.searchParams.set(k, v);
  return url;
}

/** The catalogue's URL and the key check's, in the form's language. */
export const firstCalls = (options: ClientOptions) => ({
  services: apiUrl(options, 'services.json', { locale: options.locale }),
  widgetConfig: apiUrl(options, 'widget-config.json', { api_key: options.apiKey, locale: options.locale }),
});

/** Answers asked for early, by URL, for the page (a second copy of the script finds them); null once taken. */
const KEY = Symbol.for('georeport.early-answers');
const early = (): Map<string, Promise<Response> | null> => ((globalThis as Record<symbol, Map<string, Promise<Response> | null>>)[KEY] ??= new Map());

/** Starts the GETs a form will make, once per URL for the page. */
export function askEarly(options: ClientOptions): void {
  const answers = early();
  for (const url of Object.values(firstCalls(options))) {
    if (answers.has(url.href)) continue;
    const answer = fetch(url, { credentials: 'omit' });
    answer.catch(() => undefined); // a failure is the client's to tell, if it takes this answer
    answers.set(url.href, answer);
  }
}

/** The answer to `url` asked for early, once; undefined when it was not asked for, or was taken. */
export function takeEarly(url: string): Promise<Response> | undefined {
  const answers = early();
  const answer = answers.get(url);
  if (answer) answers.set(url, null);
  return answer ?? undefined;
}
