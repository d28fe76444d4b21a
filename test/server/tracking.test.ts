import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createCaseworkStore } from '../../server/admin/casework.store.ts';
import { addServices, createTestApp, type TestApp } from '../helpers/app.ts';
import { assertErrorBody, getBoth, pothole } from '../helpers/georeport.ts';

/**
 * The filer's tracking token: how the device that filed a request tells "awaiting approval" and "rejected,
 * because…" from "unknown", while to everyone else a held or rejected request stays exactly as unknown
 * as issue 13 made it.
 */

const HELD = { code: 'affichage', name: { fr: 'Affichage sauvage', en: 'Fly-posting' }, moderation: 'hold', sla_hours: 72 };
type Answer = { service_request_id: string; extended_attributes?: { visibility: string; expected_datetime: string | null; tracking_token?: string } };

async function fileExtended(t: TestApp, fields: Record<string, string | string[]>, format = 'json'): Promise<Answer> {
  const res = await t.post(`requests.${format}`, { extensions: 'true', ...fields });
  assert.equal(res.status, 200, await res.clone().text());
  return ((await res.json()) as Answer[])[0]!;
}
const held = (t: TestApp, extra: Record<string, string> = {}) =>
  ({ api_key: t.key, service_code: 'affichage', lat: '47.39', long: '0.68', jurisdiction_id: 'ville.example', ...extra });
const track = (t: TestApp, id: string, token: string | null, format = 'json', headers: Record<string, string> = {}) =>
  t.get(`requests/${id}/tracking.${format}?jurisdiction_id=ville.example${token === null ? '' : `&tracking_token=${encodeURIComponent(token)}`}`, headers);

describe('the tracking token', () => {
  test('is handed to the filer only when asked (extensions=true), with the visibility and the expected date; the core answer is unchanged', async () => {
    const t = await createTestApp();
    await addServices(t, [HELD]);
    const plain = (await (await t.post('requests.json', pothole(t))).json()) as Record<string, unknown>[];
    assert.deepEqual(Object.keys(plain[0]!).sort(), ['account_id', 'service_notice', 'service_request_id'], 'what Open311 clients get, as before');
    const answer = await fileExtended(t, held(t));
    const ext = answer.extended_attributes!;
    assert.equal(ext.visibility, 'pending');
    assert.equal(ext.expected_datetime, '2026-06-04T12:00:00Z', '72 hours after filing');
    assert.match(ext.tracking_token!, /^[A-Za-z0-9_-]{32}$/);
    assert.equal((await t.engine.one<{ n: number }>('SELECT count(*) AS n FROM request_trackers WHERE token_hash = ?', [ext.tracking_token]))!.n, 0, 'only its hash is stored');
    const published = await fileExtended(t, pothole(t));
    assert.equal(published.extended_attributes!.visibility, 'published');
    const { status, xml } = await getBoth(t, 'requests', '', 'POST', { ...held(t), extensions: 'true' });
    assert.equal(status, 200);
    const item = xml.children[0]!.children.find((c) => c.name === 'extended_attributes')!;
    assert.deepEqual(item.children.map((c) => c.name), ['visibility', 'expected_datetime', 'tracking_token'], 'the same extension in XML');
    assert.equal((await t.post('requests.json', { ...pothole(t), extensions: 'maybe' })).status, 400);
  });

  test('opens the filer’s own request whatever its visibility: awaiting approval, published, rejected with its reason', async () => {
    const t = await createTestApp();
    await addServices(t, [HELD]);
    const { service_request_id: id, extended_attributes: ext } = await fileExtended(t, held(t));
    const token = ext!.tracking_token!;
    const { status, json } = await getBoth(t, `requests/${id}/tracking`, `?tracking_token=${token}`);
    assert.equal(status, 200);
    assert.deepEqual(json, [{
      service_request_id: id, visibility: 'pending', status: 'open', detailed_status: 'received', status_notes: null, service_code: 'affichage',
      service_name: 'Affichage sauvage', requested_datetime: '2026-06-01T12:00:00Z', updated_datetime: '2026-06-01T12:00:00Z',
      expected_datetime: '2026-06-04T12:00:00Z',
    }], 'its state and nothing it said: no description, no place');
    assert.equal(((await (await track(t, id, token, 'json', { 'accept-language': 'en' })).json()) as { service_name: string }[])[0]!.service_name, 'Fly-posting');
    await createCaseworkStore(t.engine).publish(Number(id), 'staff:1', 1);
    assert.equal(((await (await track(t, id, token)).json()) as { visibility: string }[])[0]!.visibility, 'published');
    await createCaseworkStore(t.engine).reject(Number(id), 'Affiche autorisée', 'staff:1', 2);
    const [rejected] = (await (await track(t, id, token)).json()) as Record<string, unknown>[];
    assert.deepEqual([rejected!.visibility, rejected!.detailed_status, rejected!.status_notes], ['hidden', 'rejected', 'Affiche autorisée']);
  });

  test('without the right token, a held request answers exactly as an unknown one, in both formats', async () => {
    const t = await createTestApp({ extraJurisdictions: ['autre.example'] });
    await addServices(t, [HELD]);
    const mine = await fileExtended(t, held(t));
    const other = await fileExtended(t, held(t, { lat: '47.40' }));
    const id = mine.service_request_id;
    const unknown = String(Number(other.service_request_id) + 1000);
    for (const format of ['json', 'xml']) {
      const answers = [];
      for (const [path, token] of [
        [id, 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'], [id, other.extended_attributes!.tracking_token!], [id, `${mine.extended_attributes!.tracking_token!}x`],
        [unknown, mine.extended_attributes!.tracking_token!], [unknown, 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'],
      ] as const) {
        const res = await track(t, path, token, format);
        answers.push({ status: res.status, headers: [...res.headers].filter(([k]) => !['date', 'x-request-id'].includes(k)), body: (await res.text()).replace(path, 'ID') });
      }
      for (const a of answers) assert.deepEqual(a, answers[0], `${format}: every wrong token answers alike`);
      assert.equal(answers[0]!.status, 404);
      const publicAnswer = await t.get(`requests/${id}.${format}?jurisdiction_id=ville.example`);
      assert.equal((await publicAnswer.text()).replace(id, 'ID'), answers[0]!.body, `${format}: the same 404 as the public request`);
    }
    assertErrorBody(await (await track(t, id, null)).json(), 400, /tracking_token was not provided/);
    const elsewhere = await t.get(`requests/${id}/tracking.json?jurisdiction_id=autre.example&tracking_token=${mine.extended_attributes!.tracking_token!}`);
    assert.equal(elsewhere.status, 404, 'a token opens its request in its own town only');
    assert.equal((await track(t, id, mine.extended_attributes!.tracking_token!)).headers.get('cache-control'), 'no-store');
  });

  test('a double tap answered with the first request gets a token of its own that works too', async () => {
    const t = await createTestApp();
    await addServices(t, [HELD]);
    const first = await fileExtended(t, held(t, { device_id: 'phone-1' }));
    const second = await fileExtended(t, held(t, { device_id: 'phone-1' }));
    assert.equal(second.service_request_id, first.service_request_id, 'one request');
    assert.equal(second.extended_attributes!.visibility, 'pending');
    assert.equal(second.extended_attributes!.expected_datetime, first.extended_attributes!.expected_datetime);
    assert.notEqual(second.extended_attributes!.tracking_token, first.extended_attributes!.tracking_token);
    for (const answer of [first, second]) assert.equal((await track(t, answer.service_request_id, answer.extended_attributes!.tracking_token!)).status, 200);
  });

  test('a batch service’s token answer carries no tracking token (its id comes later)', async () => {
    const t = await createTestApp();
    const res = await t.post('requests.json', { api_key: t.key, service_code: 'encombrants', address_string: '4 rue Haute', 'attribute[objets]': 'une armoire', extensions: 'true' });
    const [answer] = (await res.json()) as { token: string; extended_attributes: Record<string, unknown> }[];
    assert.ok(answer!.token);
    assert.deepEqual(Object.keys(answer!.extended_attributes), ['visibility', 'expected_datetime']);
  });
});
