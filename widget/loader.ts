/**
 * The widget's entry files, built from this one: `georeport.js`, the classic script of the snippet and
 * the CMS wrappers, and `georeport.mjs`, the same as an ES module. Each is a small file that imports, from
 * beside itself and all at once, the widget's core and the texts of the page's language, and the elements
 * already in the page (a deferred script runs once the page is parsed), with Leaflet for a map shown at
 * once; and that starts a form's first calls to the server meanwhile. The core loads the rest when it is
 * first needed (the form's later steps, the map of a tab). The browser keeps one copy of each module per
 * address, so a page may load either entry twice, or both: the elements are defined once. Module scripts
 * from the server's origin are what `script-src` allows already; no inline script, no `eval`.
 */
import { askEarly } from './api/first-calls.ts';
import { languageOf, spoken } from './i18n/languages.ts';
import { CORE, ELEMENTS, LEAFLET, MESSAGES } from './loader-files.ts';

// Where this file came from, read while it first runs (a classic script knows it only then): the
// other files are beside it, on the widget's server, whatever page embeds it.
const here = import.meta.url;
const files = new Set([...CORE, ...MESSAGES[spoken(document.documentElement.lang)]]);
for (const [name, parts] of Object.entries(ELEMENTS)) if (document.querySelector(name)) parts.forEach((f) => files.add(f));
if (document.querySelector('georeport-map:not([no-map])')) LEAFLET.forEach((f) => files.add(f));
for (const file of files) {
  const loading = import(new URL(file, here).href);
  // The core's failure is the one to tell (it fails with any file it imports); an element whose texts
  // did not come asks for them again.
  loading.catch((err: unknown) => file === CORE[0] && console.error(`georeport: the widget could not load from ${here}`, err));
}

// A form's catalogue and key check go out with the core rather than once it has run (`first-calls.ts`),
// asked as the form will ask them.
for (const form of document.querySelectorAll('georeport-widget, georeport-form')) {
  const attribute = (name: string) => form.getAttribute(name) || undefined;
  askEarly({ server: attribute('server') ?? location.href, jurisdiction: attribute('jurisdiction'), apiKey: attribute('api-key'), locale: languageOf(form) });
}
