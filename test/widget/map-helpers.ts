import { fixture, html, waitUntil } from '@open-wc/testing';
import '../../widget/index.ts';
import type { GeoReportMap } from '../../widget/request-map/georeport-map.ts';
import { SERVER } from './helpers.ts';

/** The GeoReport base of the test server. */
export const SERVER_API = `${SERVER}open311/v2/`;


/** Files a request through the real API; resolves with its id. */
export async function fileRequest(fields: Record<string, string>): Promise<string> {
  const res = await fetch(`${SERVER_API}requests.json`, {
    method: 'POST', body: new URLSearchParams({ api_key: 'demo-public-key', jurisdiction_id: 'ville.example', service_code: 'tag-graffiti', ...fields }),
  });
  const body = await res.json();
  if (res.status !== 200) throw new Error(JSON.stringify(body));
  return body[0].service_request_id;
}

/** Posts a public status change with a note (as FixMyStreet or a CRM would). */
export async function updateRequest(id: string, status: string, note: string) {
  const res = await fetch(`${SERVER_API}servicerequestupdates.json`, {
    method: 'POST',
    body: new URLSearchParams({ api_key: window.GEOREPORT_UPDATES_KEY, jurisdiction_id: 'ville.example', service_request_id: id, update_id: `u-${id}-${status}-${Math.random()}`, status, description: note }),
  });
  if (res.status !== 200) throw new Error(await res.text());
}

/** The public map, opened on (lat, long) at `zoom`, once its first answer is drawn. */
export async function mapAt(lat: number, long: number, zoom: number, lang = 'en', noMap = false, server = SERVER): Promise<GeoReportMap> {
  const el = await fixture<GeoReportMap>(html`<div lang=${lang}><georeport-map server=${server} jurisdiction="ville.example"
    api-key="demo-public-key" center=${`${lat},${long}`} zoom=${zoom} ?no-map=${noMap} tile-url="data:,"></georeport-map></div>`)
    .then((d) => d.querySelector('georeport-map')!);
  await waitUntil(() => el.loading === 'ready' && (noMap || el.answer !== null), 'the map loads', { timeout: 8000 });
  await el.updateComplete;
  return el;
}

export const $m = <T extends Element = HTMLElement>(el: GeoReportMap, selector: string) => el.shadowRoot!.querySelector<T>(selector)!;
export const $$m = <T extends Element = HTMLElement>(el: GeoReportMap, selector: string) => [...el.shadowRoot!.querySelectorAll<T>(selector)];
