/**
 * What a page receives from one server, as Chromium's network layer counts it (CDP `Network`): headers and
 * bodies as sent, compressed or not. Used by the widget's loading test and `npm run bench`.
 */
import type { Page } from 'playwright-core';

export interface Transfer {
  /** The URL, without the server's origin. */
  path: string;
  /** Bytes received, headers included; null while it loads. */
  bytes: number | null;
  /** Its `Content-Encoding` ('' for none). */
  encoding: string;
  /** When it was asked for, and when it had all come (null while it loads): Chromium's clock, in seconds. */
  sentAt: number;
  doneAt: number | null;
}

/** Starts recording every request `page` makes to `server` (a URL ending in /); the map fills as they come. */
export async function watchTransfers(page: Page, server: string): Promise<Map<string, Transfer>> {
  const seen = new Map<string, Transfer>();
  const cdp = await page.context().newCDPSession(page);
  cdp.on('Network.requestWillBeSent', (e) => {
    if (e.request.url.startsWith(server)) seen.set(e.requestId, { path: e.request.url.slice(server.length), bytes: null, encoding: '', sentAt: e.timestamp, doneAt: null });
  });
  cdp.on('Network.responseReceived', (e) => {
    const t = seen.get(e.requestId);
    if (t) t.encoding = Object.entries(e.response.headers).find(([name]) => name.toLowerCase() === 'content-encoding')?.[1] ?? '';
  });
  cdp.on('Network.loadingFinished', (e) => {
    const t = seen.get(e.requestId);
    if (t) [t.bytes, t.doneAt] = [e.encodedDataLength, e.timestamp];
  });
  await cdp.send('Network.enable');
  return seen;
}

/** Waits (10 s at most) until `transfers` have all been received; resolves with their bytes. */
export async function received(transfers: Transfer[]): Promise<number> {
  for (let i = 0; i < 200 && transfers.some((t) => t.bytes === null); i++) await new Promise((r) => setTimeout(r, 50));
  const waiting = transfers.filter((t) => t.bytes === null);
  if (waiting.length > 0) throw new Error(`still loading: ${waiting.map((t) => t.path).join(', ')}`);
  return transfers.reduce((sum, t) => sum + t.bytes!, 0);
}

/** `widget/georeport.js 31,247 B (br), …`: each transfer, its query left out. */
export const describeTransfers = (transfers: Transfer[]) =>
  transfers.map((t) => `${t.path.split('?')[0]} ${t.bytes?.toLocaleString('en')} B${t.encoding ? ` (${t.encoding})` : ''}`).join(', ');
