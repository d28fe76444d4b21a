/** Element name of each item of a list, by the list's name (Open311 JSON/XML conversion rules). */
const ITEM_NAMES: Record<string, string> = {
  services: 'service',
  service_requests: 'request',
  attributes: 'attribute',
  values: 'value',
  errors: 'error',
  endpoints: 'endpoint',
  formats: 'format',
  media_urls: 'media_url',
  service_request_updates: 'request_update',
  history: 'event',
  clusters: 'cluster',
  markers: 'marker',
};

/** Every character XML 1.0 forbids, and lone surrogates. */
const XML_FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Removes what XML 1.0 cannot carry, so that anything stored can be served as well-formed XML. */
export function stripXmlForbidden(text: string): string {
  return text.replace(XML_FORBIDDEN, '');
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };
/** Text as XML character data: whatever a client sent stays text, never markup. */
export const escapeText = (text: string) => stripXmlForbidden(text).replace(/[&<>"]/g, (ch) => ESCAPES[ch]!);

function element(name: string, value: unknown): string {
  if (value === null || value === undefined) return `<${name}></${name}>`;
  if (Array.isArray(value)) {
    const item = ITEM_NAMES[name];
    if (!item) throw new Error(`no XML item name for list ${name}`);
    return `<${name}>${value.map((v) => element(item, v)).join('')}</${name}>`;
  }
  if (typeof value === 'object') {
    const children = Object.entries(value as Record<string, unknown>).map(([k, v]) => element(k, v));
    return `<${name}>${children.join('')}</${name}>`;
  }
  return `<${name}>${escapeText(String(value))}</${name}>`;
}

/** One item of the list `list` as its XML element (`service_requests` → `<request>…</request>`). */
export const xmlItem = (list: string, value: unknown) => element(ITEM_NAMES[list]!, value);

/** A list whose items are already serialised by `xmlItem`, as `toXml(root, items)` would write it. */
export const xmlList = (root: string, items: string[]) => `<?xml version="1.0" encoding="utf-8"?>\n<${root}>${items.join('')}</${root}>`;

/**
 * Serialises a JSON payload as Open311 XML: the JSON is the XML with its root dropped, so `root` names
 * the element that wraps it; arrays become repeated item elements, null an empty element.
 * @example toXml('services', [{ service_code: 'a' }]) // <?xml …?><services><service><service_code>a</service_code></service></services>
 */
export function toXml(root: string, payload: unknown): string {
  return `<?xml version="1.0" encoding="utf-8"?>\n${element(root, payload)}`;
}
