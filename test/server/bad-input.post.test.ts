import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BASE, createTestApp, type TestApp } from '../helpers/app.ts';
import { pothole } from '../helpers/georeport.ts';
import {
  ALPHABETS,
  BAD_UTF8,
  SEED,
  assertAnswer,
  createRng,
  countRows,
  storeSnapshot,
} from '../helpers/bad-input.ts';
import { BREAKERS } from '../helpers/bad-post.breakers.ts';
import { draftCase, isBatch, sendDraft } from '../helpers/bad-post.ts';
import { ALL_UPDATE_BREAKERS, draftUpdate } from '../helpers/bad-update.ts';

// Many generated reports share a reporter and a place: double-submission detection is tested on its own.
const UNLIMITED = { rateLimitIpPerMinute: 1e9, rateLimitKeyPerMinute: 1e9, duplicateWindowSeconds: 0 };
const FORBIDDEN_IN_XML =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const count = (t: TestApp, table: 'requests' | 'request_events') => countRows(t.engine, table);

/** The single item of a successful write's answer (JSON, or XML in its JSON shape). */
function accepted(body: unknown, what: string): Record<string, string | null> {
  assert.ok(Array.isArray(body) && body.length === 1, `a list of one item: ${what}`);
  return body[0] as Record<string, string | null>;
}

/** Reads back `ids` in both formats: every stored request is served, and its XML is well-formed. */
async function assertServedWellFormed(t: TestApp, ids: string[]) {
  for (let i = 0; i < ids.length; i += 1000) {
    const chunk = ids.slice(i, i + 1000);
    for (const format of ['xml', 'json'] as const) {
      const res = await t.get(`requests.${format}?service_request_id=${chunk.join(',')}`);
      const body = await assertAnswer(
        res,
        format,
        200,
        `reading back ${chunk.length} requests in ${format}`,
      );
      assert.equal(
        (body as unknown[]).length,
        chunk.length,
        `every accepted request is served in ${format}`,
      );
    }
  }
}

/** A realtime report to file updates against. */
async function fileReport(t: TestApp): Promise<string> {
  const fields = pothole(t);
  const body = await assertAnswer(
    await t.post('requests.json', fields),
    'json',
    200,
    'the control report',
  );
  return String(accepted(body, 'the control report')['service_request_id']);
}

test('a well-formed report with the demo key is accepted in both formats, the control for every case below', async () => {
  const t = await createTestApp({ config: UNLIMITED });
  const fields = pothole(t);
  for (const format of ['xml', 'json'] as const) {
    const before = await count(t, 'requests');
    const body = await assertAnswer(
      await t.post(`requests.${format}`, fields),
      format,
      200,
      `the control in ${format}`,
    );
    assert.match(String(accepted(body, format)['service_request_id']), /^[1-9]\d*$/);
    assert.equal(await count(t, 'requests'), before + 1, `one request stored (${format})`);
  }
});

test('generated bad reports get their status and an Open311 error body, and change nothing', async () => {
  const t = await createTestApp({ config: UNLIMITED });
  const rng = createRng(SEED ^ 0x9057);
  const ids: string[] = [];
  const outcomes = { refused: 0, accepted: 0 };
  for (let n = 0; n < 1800; n++) {
    // One case in six carries no breaker: the noise alone must leave the report acceptable.
    const breaker = n % 6 === 5 ? undefined : BREAKERS[(n - Math.floor(n / 6)) % BREAKERS.length];
    const draft = draftCase(rng, breaker);
    const before = await storeSnapshot(t.engine);
    const requests = await count(t, 'requests');
    const { res, format, what } = await sendDraft(t.app, draft);
    const label = `seed ${SEED} report case ${n} ${what}`;
    const body = await assertAnswer(res, format, breaker?.status ?? 200, label);
    if (breaker) {
      assert.equal(await storeSnapshot(t.engine), before, `a refused report changes nothing: ${label}`);
      outcomes.refused++;
      continue;
    }
    assert.equal(await count(t, 'requests'), requests + 1, `an accepted report is stored once: ${label}`);
    const item = accepted(body, label);
    const reference = isBatch(draft) ? item['token'] : item['service_request_id'];
    assert.ok(typeof reference === 'string' && reference !== '', `an id or a token: ${label}`);
    if (!isBatch(draft)) ids.push(reference);
    outcomes.accepted++;
  }
  assert.deepEqual(outcomes, { refused: 1500, accepted: 300 });
  await assertServedWellFormed(t, ids);
});

test('generated bad status updates get their status and an Open311 error body, and change nothing', async () => {
  const t = await createTestApp({ config: UNLIMITED });
  // The generated cases carry the demo key (their key tricks are built on it): here it is an integration's.
  await t.engine.run(`UPDATE api_clients SET scopes = '["report","updates"]' WHERE name = 'Demo website widget'`);
  const id = await fileReport(t);
  const rng = createRng(SEED ^ 0x0bd);
  for (let n = 0; n < 600; n++) {
    const breaker =
      n % 5 === 4
        ? undefined
        : ALL_UPDATE_BREAKERS[(n - Math.floor(n / 5)) % ALL_UPDATE_BREAKERS.length];
    const draft = draftUpdate(rng, id, `u-${SEED}-${n}`, breaker);
    const before = await storeSnapshot(t.engine);
    const events = await count(t, 'request_events');
    const { res, format, what } = await sendDraft(t.app, draft);
    const label = `seed ${SEED} update case ${n} ${what}`;
    const body = await assertAnswer(res, format, breaker?.status ?? 200, label);
    if (breaker) {
      assert.equal(await storeSnapshot(t.engine), before, `a refused update changes nothing: ${label}`);
      continue;
    }
    assert.equal(
      await count(t, 'request_events'),
      events + 1,
      `an accepted update is recorded once: ${label}`,
    );
    assert.match(
      String(accepted(body, label)['update_id']),
      /^[1-9]\d*$/,
      `an update_id: ${label}`,
    );
  }
  await assertServedWellFormed(t, [id]);
});

test('an update sent again with its update_id is answered alike and recorded once', async () => {
  const t = await createTestApp({ config: UNLIMITED });
  const fields = {
    api_key: t.updatesKey,
    service_request_id: await fileReport(t),
    update_id: 'fms-42',
    status: 'FIXED',
  };
  const first = await assertAnswer(
    await t.post('servicerequestupdates.xml', fields),
    'xml',
    200,
    'the first update',
  );
  const events = await count(t, 'request_events');
  const again = await assertAnswer(
    await t.post('servicerequestupdates.json', fields),
    'json',
    200,
    'the same update again',
  );
  assert.equal(
    String(accepted(again, 'again')['update_id']),
    accepted(first, 'first')['update_id'],
  );
  assert.equal(await count(t, 'request_events'), events, 'nothing recorded twice');
});

test('a multipart text field with bytes that are not UTF-8 is refused or stored as well-formed text', async () => {
  const t = await createTestApp({ config: UNLIMITED });
  const rng = createRng(SEED ^ 0x8bad);
  const ids: string[] = [];
  for (let n = 0; n < 60; n++) {
    const boundary = `----georeport-bad-input-${n}`;
    const part = (name: string, value: Uint8Array | string) => [
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n`),
      Buffer.from(value),
      Buffer.from('\r\n'),
    ];
    const garbage = Uint8Array.from(
      Array.from({ length: rng.int(1, 4) }, () => rng.pick(BAD_UTF8)).flat(),
    );
    const text = Buffer.concat([
      Buffer.from(rng.text(0, 20, ALPHABETS.hostile)),
      garbage,
      Buffer.from(rng.text(0, 20, ALPHABETS.unicode)),
    ]);
    const field = rng.pick(['description', 'address_string', 'first_name']);
    const fields = { api_key: t.key, service_code: 'trottoir-degrade', lat: '47.39', long: '0.68' };
    const parts = [...Object.entries(fields).flatMap(([k, v]) => part(k, v)), ...part(field, text)];
    const body = new Uint8Array(Buffer.concat([...parts, Buffer.from(`--${boundary}--\r\n`)]));
    const before = await count(t, 'requests');
    const format = rng.pick(['xml', 'json'] as const);
    const headers = { 'content-type': `multipart/form-data; boundary=${boundary}` };
    const res = await t.app.request(`${BASE}requests.${format}`, { method: 'POST', body, headers });
    const label = `seed ${SEED} multipart case ${n}: ${field}=${text.toString('hex')}`;
    const answer = await assertAnswer(res, format, undefined, label);
    assert.ok(res.status === 200 || res.status === 400, `200 or 400: ${label}`);
    assert.equal(
      await count(t, 'requests'),
      before + (res.status === 200 ? 1 : 0),
      `stored only when accepted: ${label}`,
    );
    if (res.status !== 200) continue;
    const id = String(accepted(answer, label)['service_request_id']);
    const stored = (await t.engine.one<Record<string, string | null>>(
      'SELECT description, address FROM requests WHERE id = ?',
      [Number(id)],
    ))!;
    assert.doesNotMatch(
      `${stored['description'] ?? ''}${stored['address'] ?? ''}`,
      FORBIDDEN_IN_XML,
      `nothing XML forbids is stored: ${label}`,
    );
    ids.push(id);
  }
  await assertServedWellFormed(t, ids);
});

test('with several jurisdictions a report needs a known jurisdiction_id its key may write to', async () => {
  const t = await createTestApp({ config: UNLIMITED, extraJurisdictions: ['autre.example'] });
  const rng = createRng(SEED ^ 0x7a);
  const report = pothole(t);
  const cases: [string, number][] = [
    ['', 400],
    ['ville.example', 200],
    ['autre.example', 403],
    ['nulle-part.example', 404],
    ['VILLE.EXAMPLE', 404],
    ['ville.example\0', 200],
  ];
  for (let n = 0; n < 48; n++) {
    const [jurisdiction, status] = cases[n % cases.length]!;
    const format = rng.pick(['xml', 'json'] as const);
    const inQuery = rng.chance(0.5) && jurisdiction !== '';
    const query = inQuery ? `?jurisdiction_id=${encodeURIComponent(jurisdiction)}` : '';
    const body =
      inQuery || jurisdiction === '' ? report : { ...report, jurisdiction_id: jurisdiction };
    const before = await count(t, 'requests');
    const what = `seed ${SEED} jurisdiction case ${n}: ${JSON.stringify(jurisdiction)} in the ${inQuery ? 'query' : 'body'} (${format})`;
    await assertAnswer(await t.post(`requests.${format}${query}`, body), format, status, what);
    assert.equal(
      await count(t, 'requests'),
      before + (status === 200 ? 1 : 0),
      `stored only when accepted: ${what}`,
    );
  }
});
