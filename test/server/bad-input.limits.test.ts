import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BASE, createKey, createTestApp, form, testConfig, type TestApp } from '../helpers/app.ts';
import {
  ALPHABETS,
  BAD_UTF8,
  SEED,
  assertAnswer,
  createRng,
  formatOfUrl,
  countRows,
  storeSnapshot,
} from '../helpers/bad-input.ts';

const UNLIMITED = { rateLimitIpPerMinute: 1e9, rateLimitKeyPerMinute: 1e9 };
/** Small limits, so that oversized bodies are cheap: text bodies 32 kB, multipart 32 kB + 2 × 32 kB of photos. */
const SMALL = { ...UNLIMITED, maxBodyBytes: 32 * 1024, maxPhotos: 2, maxPhotoBytes: 32 * 1024 };
/**
 * Long, as clients make them: Node's multipart parser (undici) refuses a body whose values contain the
 * boundary text, so a one-letter boundary would make valid bodies look malformed.
 */
const BOUNDARY = '----georeport-bad-input-7f3a9c';
const multipartLimit = (c: { maxBodyBytes: number; maxPhotos: number; maxPhotoBytes: number }) =>
  c.maxBodyBytes + c.maxPhotos * c.maxPhotoBytes;

const storedRequests = (t: TestApp) => countRows(t.engine, 'requests');
const report = (t: TestApp) => ({
  api_key: t.key,
  service_code: 'nid-de-poule',
  'attribute[taille]': 'petit',
  lat: '47.39',
  long: '0.68',
});

/** A valid report, urlencoded, padded with an unknown field to exactly `bytes` bytes. */
function paddedReport(t: TestApp, bytes: number): string {
  const head = `${form(report(t))}&x=`;
  assert.ok(bytes >= head.length);
  return head + 'p'.repeat(bytes - head.length);
}

/** A valid report as multipart/form-data, padded with an unknown field to exactly `bytes` bytes. */
function paddedMultipart(t: TestApp, bytes: number): { body: string; type: string } {
  const part = (k: string, v: string) =>
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`;
  const head =
    Object.entries(report(t))
      .map(([k, v]) => part(k, v))
      .join('') + part('x', '');
  const room = bytes - Buffer.byteLength(head) - `--${BOUNDARY}--\r\n`.length;
  assert.ok(room >= 0);
  return {
    body: `${head.slice(0, -2)}${'p'.repeat(room)}\r\n--${BOUNDARY}--\r\n`,
    type: `multipart/form-data; boundary=${BOUNDARY}`,
  };
}

/** `size` bytes of a repeated chunk, streamed without a Content-Length. */
function stream(chunk: Uint8Array, size: number): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      if (sent >= size) return controller.close();
      controller.enqueue(chunk);
      sent += chunk.length;
    },
  });
}

/** Paths a POST may name that take no body (no such resource): answered without reading it. */
const NO_BODY_PATHS = ['nothing.xml', 'services.json', 'requests'];

test('a body over its limit is a 413 with an Open311 error in the requested format, whatever else it carries', async () => {
  const t = await createTestApp({ config: SMALL });
  const rng = createRng(SEED ^ 0x413);
  const KINDS = [
    'report',
    'garbage bytes',
    'json',
    'stream',
    'multipart text',
    'multipart photo',
    'multipart stream',
  ] as const;
  for (let n = 0; n < 70; n++) {
    const kind = KINDS[n % KINDS.length]!;
    const multipart = kind.startsWith('multipart');
    const limit = multipart ? multipartLimit(SMALL) : SMALL.maxBodyBytes;
    const size = rng.int(limit + 1, 3 * limit);
    const path = rng.pick([
      'requests.xml',
      'requests.json',
      'requests.json?api_key=nope',
      'servicerequestupdates.xml',
      'nothing.xml',
      'services.json',
      'requests',
    ]);
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
    let body: BodyInit;
    if (kind === 'report') body = paddedReport(t, size);
    else if (kind === 'garbage bytes') body = new Uint8Array(size).fill(rng.pick(BAD_UTF8)[0]!);
    else if (kind === 'json') {
      body = JSON.stringify({ ...report(t), description: 'j'.repeat(size) });
      headers['content-type'] = 'application/json';
    } else if (kind === 'stream')
      body = stream(new TextEncoder().encode(`${form(report(t))}&x=${'s'.repeat(4096)}`), size);
    else if (kind === 'multipart stream') {
      body = stream(
        new TextEncoder().encode(
          `--${BOUNDARY}\r\nContent-Disposition: form-data; name="x"\r\n\r\n${'m'.repeat(4096)}`,
        ),
        size,
      );
      headers['content-type'] = `multipart/form-data; boundary=${BOUNDARY}`;
    } else {
      const fd = new FormData();
      for (const [k, v] of Object.entries(report(t))) fd.append(k, v);
      if (kind === 'multipart text')
        fd.append('description', rng.pick(ALPHABETS.stable).repeat(size));
      else fd.append('media', new Blob([new Uint8Array(size)], { type: 'image/png' }), 'big.png');
      body = fd;
      delete headers['content-type'];
    }
    if (typeof body === 'string' && rng.chance(0.5))
      headers['content-length'] = String(Buffer.byteLength(body));
    const before = await storeSnapshot(t.engine);
    const url = BASE + path;
    const what = `seed ${SEED} oversized case ${n}: ${kind} of ${size} bytes (limit ${limit}) to ${path} ${JSON.stringify(headers)}`;
    const init = { method: 'POST', body, headers, duplex: 'half' } as RequestInit;
    // A body is read only where it may be: at a path that takes none (404) or of a type no write takes
    // (400), it is refused unread, and only a declared length over the limit is a 413 first.
    const status =
      headers['content-length'] !== undefined ? 413 : NO_BODY_PATHS.includes(path) ? 404 : kind === 'json' ? 400 : 413;
    await assertAnswer(await t.app.request(url, init), formatOfUrl(url), status, what);
    assert.equal(await storeSnapshot(t.engine), before, `an oversized body changes nothing: ${what}`);
  }
});

test('a body of exactly its limit is read and one byte more is a 413, urlencoded or multipart', async () => {
  const t = await createTestApp({ config: SMALL });
  const before = await storedRequests(t);
  let accepted = 0;
  for (const multipart of [false, true]) {
    const limit = multipart ? multipartLimit(SMALL) : SMALL.maxBodyBytes;
    for (let bytes = limit - 8; bytes <= limit + 8; bytes++) {
      for (const declared of [true, false]) {
        const format = bytes % 2 ? 'xml' : 'json';
        const { body, type } = multipart
          ? paddedMultipart(t, bytes)
          : { body: paddedReport(t, bytes), type: 'application/x-www-form-urlencoded' };
        const headers = {
          'content-type': type,
          ...(declared ? { 'content-length': String(bytes) } : {}),
        };
        const res = await t.app.request(`${BASE}requests.${format}`, {
          method: 'POST',
          body,
          headers,
        });
        const what = `${multipart ? 'multipart' : 'urlencoded'}: ${bytes} bytes against ${limit} (content-length ${declared ? 'sent' : 'absent'})`;
        await assertAnswer(res, format, bytes <= limit ? 200 : 413, what);
        if (bytes <= limit) accepted++;
      }
    }
  }
  assert.equal(accepted, 2 * 9 * 2);
  assert.equal(await storedRequests(t), before + accepted, 'every body within its limit is stored once');
});

test('the default limits: a 1 MiB urlencoded report is accepted, a byte more or a multipart body past its limit is a 413', async () => {
  const t = await createTestApp({ config: UNLIMITED });
  const config = testConfig();
  await assertAnswer(
    await t.post('requests.json', paddedReport(t, config.maxBodyBytes)),
    'json',
    200,
    'exactly 1 MiB',
  );
  await assertAnswer(
    await t.post('requests.xml', paddedReport(t, config.maxBodyBytes + 1)),
    'xml',
    413,
    '1 MiB + 1 byte',
  );
  const chunk = new Uint8Array(1024 * 1024).fill(0x61);
  const headers = { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` };
  const body = stream(chunk, multipartLimit(config) + 1);
  const init = { method: 'POST', body, headers, duplex: 'half' } as RequestInit;
  await assertAnswer(
    await t.app.request(`${BASE}requests.xml`, init),
    'xml',
    413,
    'multipart over its default limit',
  );
});

/** Asserts a 429 in `format` with an Open311 error body and a usable Retry-After; returns its seconds. */
async function assertLimited(res: Response, format: 'xml' | 'json', what: string): Promise<number> {
  const retryAfter = res.headers.get('retry-after');
  await assertAnswer(res, format, 429, what);
  assert.match(retryAfter ?? '', /^[1-9]\d*$/, `a Retry-After in whole seconds: ${what}`);
  assert.ok(Number(retryAfter) <= 60, `Retry-After within the one-minute window: ${what}`);
  return Number(retryAfter);
}

test('past the per-address limit a POST is a 429 with Retry-After and an Open311 error body, and stores nothing', async () => {
  const t = await createTestApp(); // default: 30 POSTs per minute per address
  for (let i = 0; i < 30; i++)
    await assertAnswer(
      await t.post('requests.json', report(t)),
      'json',
      200,
      `POST ${i + 1} of 30`,
    );
  const stored = await storedRequests(t);
  assert.equal(
    await assertLimited(await t.post('requests.xml', report(t)), 'xml', 'POST 31 in XML'),
    60,
  );
  await assertLimited(await t.post('requests.json', report(t)), 'json', 'POST 32 in JSON');
  await assertLimited(
    await t.post('servicerequestupdates.json', { api_key: t.key }),
    'json',
    'an update past the limit',
  );
  await assertLimited(
    await t.post('requests.json', 'x=%zz', { 'content-type': 'text/plain' }),
    'json',
    'a malformed POST past the limit',
  );
  assert.equal(await storedRequests(t), stored, 'nothing stored past the limit');
  await assertAnswer(await t.get('requests.json'), 'json', 200, 'reads are not limited');
  t.clock.ms += 45_000;
  assert.equal(
    await assertLimited(await t.post('requests.xml', report(t)), 'xml', 'still limited 45 s later'),
    15,
  );
  t.clock.ms += 15_000;
  await assertAnswer(await t.post('requests.xml', report(t)), 'xml', 200, 'a new window');
});

test('past the per-key limit, the configured one or a key of its own, a POST is a 429 with Retry-After', async () => {
  const t = await createTestApp({ config: { rateLimitIpPerMinute: 1e9, rateLimitKeyPerMinute: 5 } });
  const ownKey = await createKey(t.engine, null, 2);
  for (let i = 0; i < 2; i++)
    await assertAnswer(
      await t.post('requests.json', { ...report(t), api_key: ownKey }),
      'json',
      200,
      `own-limit key POST ${i + 1}`,
    );
  await assertLimited(
    await t.post('requests.json', { ...report(t), api_key: ownKey }),
    'json',
    'own-limit key POST 3',
  );
  for (let i = 0; i < 5; i++)
    await assertAnswer(
      await t.post('requests.xml', report(t)),
      'xml',
      200,
      `demo key POST ${i + 1}`,
    );
  const stored = await storedRequests(t);
  await assertLimited(await t.post('requests.xml', report(t)), 'xml', 'demo key POST 6');
  await assertLimited(
    await t.post(`requests.json?api_key=${t.key}`, { ...report(t), api_key: '' }),
    'json',
    'demo key in the query',
  );
  assert.equal(await storedRequests(t), stored);
});
