import { escapeText as xmlText } from '../georeport/xml.ts';

export interface AtomEntry {
  id: string;
  title: string;
  updated: string;
  published: string;
  /** Plain text (type="text"): readers show it as text. */
  content: string;
  point: { lat: number; long: number } | null;
}

/** An Atom 1.0 feed, with GeoRSS points. */
export function atomFeed(feed: { id: string; title: string; self: string; updated: string; entries: AtomEntry[] }): string {
  const entries = feed.entries.map((e) => `<entry><id>${xmlText(e.id)}</id><title type="text">${xmlText(e.title)}</title>` +
    `<published>${e.published}</published><updated>${e.updated}</updated>` +
    `<content type="text">${xmlText(e.content)}</content>` +
    (e.point ? `<georss:point>${e.point.lat} ${e.point.long}</georss:point>` : '') + '</entry>');
  return `<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom" xmlns:georss="http://www.georss.org/georss">` +
    `<id>${xmlText(feed.id)}</id><title type="text">${xmlText(feed.title)}</title>` +
    `<link rel="self" href="${xmlText(feed.self)}"/><updated>${feed.updated}</updated><author><name>${xmlText(feed.title)}</name></author>` +
    `${entries.join('')}</feed>\n`;
}
