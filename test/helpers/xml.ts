import { SaxesParser } from 'saxes';

export interface XmlNode {
  name: string;
  children: XmlNode[];
  text: string;
}

/**
 * Parses XML with a strict, conformant XML 1.0 parser (saxes): any well-formedness error, forbidden
 * character or namespace problem throws. Returns the root element.
 */
export function parseXml(text: string): { root: XmlNode; declaration: string | undefined } {
  const parser = new SaxesParser({ xmlns: true });
  const stack: XmlNode[] = [];
  let root: XmlNode | undefined;
  let declaration: string | undefined;
  parser.on('error', (e) => {
    throw e;
  });
  parser.on('xmldecl', (d) => {
    declaration = `version=${d.version} encoding=${d.encoding}`;
  });
  parser.on('opentag', (tag) => {
    if (tag.uri) throw new Error(`unexpected namespace ${tag.uri}`);
    const node: XmlNode = { name: tag.name, children: [], text: '' };
    stack.at(-1)?.children.push(node);
    stack.push(node);
    root ??= node;
  });
  parser.on('text', (t) => {
    const top = stack.at(-1);
    if (top) top.text += t;
  });
  parser.on('closetag', () => {
    stack.pop();
  });
  parser.write(text).close();
  if (!root) throw new Error('no root element');
  return { root, declaration };
}

const LISTS = new Set(['services', 'service_requests', 'attributes', 'values', 'errors', 'endpoints', 'formats', 'media_urls', 'service_request_updates', 'history', 'clusters', 'markers']);

/** Converts Open311 XML back to its JSON shape by the spec's rules, every leaf as text. */
export function xmlToJson(node: XmlNode): unknown {
  if (LISTS.has(node.name)) return node.children.map(xmlToJson);
  if (node.children.length === 0) return node.text;
  return Object.fromEntries(node.children.map((c) => [c.name, xmlToJson(c)]));
}

/** JSON with every leaf as the text XML would carry (null → '', numbers and booleans as strings). */
export function jsonAsText(value: unknown): unknown {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.map(jsonAsText);
  if (typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, jsonAsText(v)]));
  return String(value);
}
