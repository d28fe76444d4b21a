/**
 * Registering the elements. A page may load the widget twice (a CMS block and a theme, say): an element
 * already defined is left alone rather than throwing. The report form and the drop-in come with the
 * widget's first file; the others are files of their own, loaded the first time a page needs them.
 */

/** Defines `name`, unless a copy of the widget loaded earlier did. */
export function define(name: string, element: CustomElementConstructor): void {
  if (!customElements.get(name)) customElements.define(name, element);
}

/** The elements defined when first needed, and where each is. */
const LATER = {
  'georeport-map': () => import('./request-map/georeport-map.ts').then((m) => m.GeoReportMap),
  'georeport-my-requests': () => import('./tracking/georeport-my-requests.ts').then((m) => m.GeoReportMyRequests),
  'georeport-status': () => import('./tracking/georeport-status.ts').then((m) => m.GeoReportStatus),
} satisfies Record<string, () => Promise<CustomElementConstructor>>;
export type LaterElement = keyof typeof LATER;
const NAMES = Object.keys(LATER) as LaterElement[];

const loading = new Map<LaterElement, Promise<void>>();

/**
 * Loads and defines a later element, once for the page: instances already in the page upgrade then,
 * with the attributes and properties set on them meanwhile. A failed load is told in the console and
 * tried again on the next call.
 */
export function defineLater(name: LaterElement): Promise<void> {
  let pending = loading.get(name);
  if (!pending) {
    pending = LATER[name]().then((element) => define(name, element), (err: unknown) => {
      loading.delete(name);
      console.error(`georeport: <${name}> could not load`, err);
      throw err;
    });
    loading.set(name, pending);
  }
  return pending;
}

/**
 * Defines each later element the document holds, now or once one is added to it (a CMS may add blocks
 * after the script ran), watching until all are defined. Elements inside other elements' shadow roots
 * are out of its sight: the element that shows them asks (`defineLater`).
 */
export function defineWhenPresent(root: Document): void {
  const waiting = () => NAMES.filter((name) => !loading.has(name) && !customElements.get(name));
  const look = (node: ParentNode) => {
    for (const name of waiting()) {
      if ((node instanceof Element && node.localName === name) || node.querySelector(name)) defineLater(name).catch(() => undefined);
    }
  };
  look(root);
  if (waiting().length === 0) return;
  const observer = new MutationObserver((records) => {
    for (const record of records) for (const node of record.addedNodes) if (node instanceof Element) look(node);
    if (NAMES.every((name) => customElements.get(name))) observer.disconnect();
  });
  observer.observe(root, { childList: true, subtree: true });
}
