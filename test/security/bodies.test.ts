/**
 * Issue 13, items 8, 9 and 16 (photo caps): bodies and photos as an attacker sends them, against the
 * real server process over loopback. Every body goes through one capped edge, a caller who may not
 * write is refused before its body is read, and photo work is bounded: the server's resident memory
 * (`/proc/<pid>/status`) stays within +150 MB and it keeps answering.
 */
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import sharp from 'sharp';
import { MB, flood, peakRssDuring, type FloodAnswer } from '../helpers/flood.ts';
import { runCli, startServer, tempDir, type ServerProcess } from '../helpers/server-process.ts';

const KEY = 'demo-public-key';
const STAFF = { email: 'securite@ville.example', password: 'un mot de passe assez long' };
const BOUNDARY = '----georeport-security-5c1d';
const MEMORY_BOUND = 150 * MB;
/** Over what the server may drain and throw away after answering (64 MB), so `sent < total` means unread. */
const FLOOD = 160 * MB;
const UNLIMITED = { GEOREPORT_RATE_LIMIT_IP: '1000000', GEOREPORT_RATE_LIMIT_KEY: '1000000' };

interface Served {
  server: ServerProcess;
  env: Record<string, string>;
}

const cleanups: (() => Promise<unknown> | void)[] = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/** A seeded server of its own (own store and photos), with `env` on top of unlimited rate limits. */
async function serve(env: Record<string, string> = {}): Promise<Served> {
  const tmp = tempDir('georeport-security-');
  cleanups.push(tmp.cleanup);
  const all = { ...UNLIMITED, GEOREPORT_DB: join(tmp.dir, 'georeport.db'), GEOREPORT_MEDIA_DIR: join(tmp.dir, 'media'), ...env };
  const server = await startServer({ args: ['--seed-demo'], env: all });
  cleanups.push(() => server.kill());
  return { server, env: all };
}

/** Text parts, then optionally the head of a file part (whose bytes follow). */
function multipart(fields: [string, string][], file?: { name: string; filename: string }): Buffer {
  const text = fields.map(([k, v]) => `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`).join('');
  const head = file ? `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${file.name}"; filename="${file.filename}"\r\nContent-Type: image/png\r\n\r\n` : '';
  return Buffer.from(text + head);
}
const MULTIPART = { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` };
const END = Buffer.from(`\r\n--${BOUNDARY}--\r\n`);
const REPORT: [string, string][] = [
  ['service_code', 'tag-graffiti'],
  ['lat', '47.39'],
  ['long', '0.68'],
];

/** A whole multipart report with the key first and these photos. */
function report(photos: Buffer[], extra: [string, string][] = []): Buffer {
  const parts = photos.map((p, i) => Buffer.concat([multipart([], { name: 'media[]', filename: `p${i}.png` }), p, Buffer.from('\r\n')]));
  return Buffer.concat([multipart([['api_key', KEY], ...REPORT, ...extra]), ...parts, Buffer.from(`--${BOUNDARY}--\r\n`)]);
}

const post = (s: Served, path: string, body: Buffer) =>
  fetch(`${s.server.url}${path}`, { method: 'POST', headers: MULTIPART, body: new Uint8Array(body) });

async function answering(s: Served) {
  const res = await fetch(`${s.server.url}health`);
  assert.equal(res.status, 200, 'the server still answers');
}

const photo = (width = 64, height = 48) =>
  sharp({ create: { width, height, channels: 3, background: { r: 200, g: 120, b: 40 } } }).png().toBuffer();

function refused(answer: FloodAnswer, status: number, what: string, total: number) {
  assert.equal(answer.status, status, `${what}: answered ${answer.status} ${answer.text.slice(0, 200)}`);
  assert.ok(answer.sent < total, `${what}: the server answered before the whole body was sent (${answer.sent} of ${total} bytes)`);
}

describe('bodies on every API family (item 8)', () => {
  let s: Served;
  let cookie = '';
  let csrf = '';
  let secret = '';
  before(async () => {
    s = await serve();
    const staff = await runCli(['staff', 'create', '--email', STAFF.email, '--name', 'Sécurité', '--jurisdiction', 'ville.example'], { ...s.env, GEOREPORT_STAFF_PASSWORD: STAFF.password });
    assert.equal(staff.code, 0, staff.stderr);
    const app = await runCli(['bus', 'apps', 'create', '--jurisdiction', 'ville.example', '--name', 'GRC'], s.env);
    assert.equal(app.code, 0, app.stderr);
    secret = /^secret: (\S+)$/m.exec(app.stdout)![1]!;
    const login = await fetch(`${s.server.url}admin/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(STAFF) });
    assert.equal(login.status, 200);
    cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    csrf = ((await login.json()) as { csrf_token: string }).csrf_token;
  });

  for (const declared of [true, false]) {
    test(`item 8: an anonymous 400 MB login${declared ? ' with a Content-Length' : ' sent chunked'} is refused early, the server within +150 MB and answering`, async () => {
      const { result, growth } = await peakRssDuring(s.server.child.pid!, () =>
        flood(`${s.server.url}admin/api/session`, { headers: { 'content-type': 'application/json' }, head: Buffer.from('{"email":"'), size: 400 * MB, declared }),
      );
      refused(result, 413, 'login', 400 * MB);
      assert.match(result.text, /"code":413/);
      assert.ok(growth < MEMORY_BOUND, `resident memory grew by ${(growth / MB).toFixed(0)} MB`);
      await answering(s);
    });
  }

  test('item 8: every back-office route refuses a body over 8 MB on the stream once the session is known, and reads nothing without one', async () => {
    const J = 'admin/api/j/ville.example';
    const routes = [
      ['PUT', `${J}/catalogue`], ['PUT', `${J}/area`], ['PUT', `${J}/routing`], ['PUT', `${J}/departments`], ['PUT', `${J}/templates`],
      ['PUT', `${J}/services/nid-de-poule`], ['PUT', `${J}/groups/voirie`], ['POST', `${J}/services/order`], ['POST', `${J}/keys`],
      ['POST', `${J}/bus`], ['POST', `${J}/staff`], ['POST', `${J}/intake`], ['POST', 'admin/api/password'],
      ...['assign', 'edit', 'merge', 'notes', 'reject', 'status'].map((a) => ['POST', `${J}/requests/1/${a}`]),
    ] as const;
    const { growth } = await peakRssDuring(s.server.child.pid!, async () => {
      for (const [method, path] of routes) {
        const json = { 'content-type': 'application/json' };
        if (path.endsWith('/catalogue') || path.endsWith('/staff') || path.endsWith('/notes')) {
          const anonymous = await flood(`${s.server.url}${path}`, { method, headers: json, head: Buffer.from('{"x":"'), size: FLOOD });
          refused(anonymous, 401, `${method} ${path} without a session`, FLOOD);
        }
        const staff = { ...json, cookie, 'x-csrf-token': csrf, origin: s.server.url.slice(0, -1) };
        const oversized = await flood(`${s.server.url}${path}`, { method, headers: staff, head: Buffer.from('{"x":"'), size: FLOOD });
        refused(oversized, 413, `${method} ${path} chunked`, FLOOD);
      }
    });
    assert.ok(growth < MEMORY_BOUND, `resident memory grew by ${(growth / MB).toFixed(0)} MB`);
    await answering(s);
  });

  test('item 8: the bus refuses a body over 5 MB on the stream after its secret, and reads nothing without one', async () => {
    const { growth } = await peakRssDuring(s.server.child.pid!, async () => {
      for (const [method, path] of [['POST', 'ack'], ['POST', 'nack'], ['POST', 'replay'], ['PUT', 'catalogue'], ['POST', 'requests/1/updates']] as const) {
        const url = `${s.server.url}bus/v1/${path}`;
        const json = { 'content-type': 'application/json' };
        refused(await flood(url, { method, headers: json, size: FLOOD }), 401, `${path} without a secret`, FLOOD);
        const app = { ...json, authorization: `Bearer ${secret}` };
        refused(await flood(url, { method, headers: app, head: Buffer.from('{"ids":"'), size: FLOOD }), 413, `${path} chunked`, FLOOD);
      }
    });
    assert.ok(growth < MEMORY_BOUND, `resident memory grew by ${(growth / MB).toFixed(0)} MB`);
    await answering(s);
  });

  test('item 8: a GeoReport text body over its limit, chunked, and a body sent to a path that takes none are refused without being read', async () => {
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    const text = await flood(`${s.server.url}open311/v2/requests.json`, { headers: form, head: Buffer.from(`api_key=${KEY}&description=`), size: FLOOD });
    refused(text, 413, 'a chunked report', FLOOD);
    for (const path of ['open311/v2/nothing.json', 'unsubscribe/aaaaaaaaaaaaaaaaaaaaaaaa', 'media/x.jpg']) {
      const answer = await flood(`${s.server.url}${path}`, { headers: form, size: FLOOD });
      assert.ok(answer.status !== undefined && answer.status >= 400 && answer.status < 500, `${path}: ${answer.status}`);
      assert.ok(answer.sent < FLOOD, `${path}: answered before the whole body was sent`);
    }
    await answering(s);
  });
});

describe('photos (item 9, item 16)', () => {
  test('item 9: eight concurrent 60 MB uploads without a valid API key before the photo are refused with 403, the server within +150 MB and answering', async () => {
    const s = await serve();
    await post(s, 'open311/v2/requests.json', report([await photo()])); // warm: sharp and the parser loaded
    const uploads = Array.from({ length: 8 }, (_, i) => {
      const where = ['none', 'after the photo', 'invalid', 'none'][i % 4];
      const fields: [string, string][] = where === 'invalid' ? [['api_key', 'not-a-key'], ...REPORT] : REPORT;
      const tail = where === 'after the photo' ? Buffer.concat([Buffer.from(`\r\n--${BOUNDARY}\r\nContent-Disposition: form-data; name="api_key"\r\n\r\n${KEY}`), END]) : END;
      return { where, run: () => flood(`${s.server.url}open311/v2/requests.json`, { headers: MULTIPART, head: multipart(fields, { name: 'media', filename: 'big.png' }), size: 60 * MB, tail, declared: i % 2 === 0 }) };
    });
    const { result, growth } = await peakRssDuring(s.server.child.pid!, () => Promise.all(uploads.map((u) => u.run())));
    result.forEach((answer, i) => {
      refused(answer, 403, `upload ${i} (key ${uploads[i]!.where})`, 60 * MB);
      assert.match(answer.text, /api_key (was not provided|is not valid)/);
    });
    assert.ok(growth < MEMORY_BOUND, `resident memory grew by ${(growth / MB).toFixed(0)} MB`);
    await answering(s);
  });

  test('item 9: 7070 × 7070 PNGs are refused from their header, with the limit named, before they are decoded', async () => {
    const s = await serve();
    const bomb = await sharp({ create: { width: 7070, height: 7070, channels: 3, background: '#ffffff' } }).png({ compressionLevel: 9 }).toBuffer();
    await post(s, 'open311/v2/requests.json', report([await photo()]));
    const { result, growth } = await peakRssDuring(s.server.child.pid!, () =>
      Promise.all(Array.from({ length: 4 }, () => post(s, 'open311/v2/requests.json', report([bomb])).then(async (r) => ({ status: r.status, text: await r.text() })))),
    );
    for (const answer of result) {
      assert.equal(answer.status, 413, answer.text);
      assert.match(answer.text, /photo 1 is 7070 × 7070 pixels; the limit is 25 megapixels/);
    }
    assert.ok(growth < 100 * MB, `resident memory grew by ${(growth / MB).toFixed(0)} MB: the images were decoded`);
    await answering(s);
  });

  test('item 9: with the photo queue full, a new photo is refused at once with 503 and Retry-After; once it frees, photos go through', async () => {
    // The daily cap per address is raised: on a loaded machine many photos may pass before the slow part arrives.
    const s = await serve({ GEOREPORT_PHOTO_WORKERS: '1', GEOREPORT_PHOTO_QUEUE: '0', GEOREPORT_PHOTOS_PER_ADDRESS: '1000' });
    const png = await photo();
    // A slow upload holds the only place: its photo part has begun and the rest is not sent yet. Its part may
    // arrive while one of the photos below is being processed and be refused itself: then it is sent again.
    const hold = () => {
      const req = request(`${s.server.url}open311/v2/requests.json`, { method: 'POST', headers: MULTIPART });
      const slow = { req, answered: false, answer: new Promise<number>((resolve) => {
        req.on('response', (res) => {
          slow.answered = true;
          res.resume();
          resolve(res.statusCode!);
        });
        req.on('error', () => {
          slow.answered = true;
          resolve(0);
        });
      }) };
      req.write(Buffer.concat([multipart([['api_key', KEY], ...REPORT], { name: 'media', filename: 'slow.png' }), png.subarray(0, 100)]));
      return slow;
    };
    let held = hold();
    let busy: Response | undefined;
    for (let attempt = 0; attempt < 200 && !busy; attempt++) {
      const res = await post(s, 'open311/v2/requests.json', report([png]));
      if (res.status === 503) {
        busy = res;
        break;
      }
      assert.equal(res.status, 200, await res.text());
      await new Promise((r) => setTimeout(r, 25)); // until the slow upload's part has arrived
      if (held.answered) held = hold();
    }
    assert.ok(busy, 'a photo sent while the queue is full is refused');
    assert.ok(Number(busy.headers.get('retry-after')) > 0, 'with a Retry-After');
    assert.match(await busy.text(), /too many photos are being processed; try again in \d+ seconds/);
    held.req.end(Buffer.concat([png.subarray(100), END]));
    assert.equal(await held.answer, 200, 'the slow upload is filed');
    const freed = await post(s, 'open311/v2/requests.json', report([png]));
    assert.equal(freed.status, 200, 'its place is free again');
  });

  test('item 16: photos from one address are capped per day (429 with Retry-After), reports without photos still go through', async () => {
    const s = await serve({ GEOREPORT_PHOTOS_PER_ADDRESS: '2' });
    const png = await photo();
    assert.equal((await post(s, 'open311/v2/requests.json', report([png, png]))).status, 200);
    const capped = await post(s, 'open311/v2/requests.json', report([png]));
    assert.equal(capped.status, 429);
    assert.ok(Number(capped.headers.get('retry-after')) > 0);
    assert.match(await capped.text(), /most photos allowed in a day; send the report without photos/);
    assert.equal((await post(s, 'open311/v2/requests.json', report([]))).status, 200);
  });

  test('item 16: once the photo store holds its cap, new photos are refused with 413 saying so, reports without photos still go through', async () => {
    const s = await serve({ GEOREPORT_MEDIA_MAX_BYTES: '1' });
    const png = await photo();
    assert.equal((await post(s, 'open311/v2/requests.json', report([png]))).status, 200, 'the first photo fits');
    const full = await post(s, 'open311/v2/requests.json', report([png]));
    assert.equal(full.status, 413);
    assert.match(await full.text(), /photo storage of this server is full; send the report without photos/);
    assert.equal((await post(s, 'open311/v2/requests.json', report([]))).status, 200);
  });
});
