import assert from 'node:assert/strict';
import type { TestApp } from './app.ts';
import { jsonAsText, parseXml, xmlToJson, type XmlNode } from './xml.ts';

export interface BothFormats {
  status: number;
  json: unknown;
  xml: XmlNode;
}

/**
 * Calls `{resource}.json` and `{resource}.xml` (same query), checks the protocol's envelope on both
 * (status equal, exact content types, XML declaration, strict well-formedness, XML equal to the JSON by
 * the Open311 conversion rules) and returns both bodies.
 */
export async function getBoth(t: TestApp, resource: string, query = '', method: 'GET' | 'POST' = 'GET', body?: Record<string, string | string[]>): Promise<BothFormats> {
  const call = (fmt: string) =>
    method === 'GET' ? t.get(`${resource}.${fmt}${query}`) : t.post(`${resource}.${fmt}${query}`, body ?? {});
  const [jsonRes, xmlRes] = [await call('json'), await call('xml')];
  assert.equal(xmlRes.status, jsonRes.status, `${resource}: XML and JSON statuses differ`);
  assert.equal(jsonRes.headers.get('content-type'), 'application/json; charset=utf-8');
  assert.equal(xmlRes.headers.get('content-type'), 'text/xml; charset=utf-8');
  const xmlText = await xmlRes.text();
  assert.ok(xmlText.startsWith('<?xml version="1.0" encoding="utf-8"?>'), 'XML starts with its declaration');
  const json: unknown = await jsonRes.json();
  const xml = parseXml(xmlText).root;
  if (method === 'GET') assert.deepEqual(xmlToJson(xml), jsonAsText(json), `${resource}: the XML says what the JSON says`);
  return { status: jsonRes.status, json, xml };
}

/** Asserts an Open311 error answer in both formats: the status, one error per description given. */
export async function assertErrorBoth(t: TestApp, resource: string, query: string, status: number, ...mentions: RegExp[]) {
  const { status: got, json, xml } = await getBoth(t, resource, query);
  assert.equal(got, status, `${resource}${query} answers ${status}; got ${got}: ${JSON.stringify(json)}`);
  assertErrorBody(json, status, ...mentions);
  assert.equal(xml.name, 'errors');
  assert.ok(xml.children.every((e) => e.name === 'error' && e.children.find((c) => c.name === 'code')?.text === String(status)));
}

/** An Open311 JSON error list with `status` as each code, whose descriptions match every `mentions`. */
export function assertErrorBody(json: unknown, status: number, ...mentions: RegExp[]) {
  assert.ok(Array.isArray(json) && json.length > 0, `an error list: ${JSON.stringify(json)}`);
  for (const e of json as { code: unknown; description: unknown }[]) {
    assert.equal(e.code, status);
    assert.equal(typeof e.description, 'string');
  }
  const text = (json as { description: string }[]).map((e) => e.description).join(' | ');
  for (const m of mentions) assert.match(text, m);
}

/** Fields of a valid report to the demo `nid-de-poule` service; override what a test is about. */
export function pothole(t: TestApp, overrides: Record<string, string | string[]> = {}): Record<string, string | string[]> {
  return { api_key: t.key, service_code: 'nid-de-poule', lat: '47.39', long: '0.68', 'attribute[taille]': 'petit', description: 'Un trou', ...overrides };
}

/** Files a report and returns its service_request_id (asserting success). */
export async function file(t: TestApp, fields: Record<string, string | string[]>): Promise<string> {
  const res = await t.post('requests.json', fields);
  const body = await res.json();
  assert.equal(res.status, 200, JSON.stringify(body));
  return (body as { service_request_id: string }[])[0]!.service_request_id;
}

/** The owner of `email` presses the button of the newest confirmation link mailed to it (double opt-in). */
export async function confirmEmail(t: TestApp, email: string): Promise<void> {
  const token = (
    await t.engine.one<{ token: string }>(
      'SELECT c.token FROM confirmations c JOIN followers f ON f.id = c.follower_id WHERE f.email = ? ORDER BY c.id DESC',
      [email],
    )
  )?.token;
  assert.ok(token, `a confirmation was asked of ${email}`);
  const res = await t.app.request(`http://localhost/confirm/${token}`, { method: 'POST' });
  assert.equal(res.status, 200);
}
