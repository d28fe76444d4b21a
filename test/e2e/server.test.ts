/** `georeport serve` as a real process: health, shutdown, metrics, rate limits, logs, batches. */
import assert from 'node:assert/strict';
import http from 'node:http';
import { connect } from 'node:net';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { startServer, tempDir, type ServerProcess } from '../helpers/server-process.ts';

const API = 'open311/v2/';
const KEY = 'demo-public-key';
const HIGH_LIMITS = { GEOREPORT_RATE_LIMIT_IP: '1000000', GEOREPORT_RATE_LIMIT_KEY: '1000000' };

/** A served demo city on a fresh file store in a temp directory; all removed after the test. */
async function demoServer(
  t: { after: (fn: () => unknown) => void },
  env: Record<string, string> = {},
): Promise<{ server: ServerProcess; db: string }> {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const db = `${dir}/georeport.db`;
  const server = await startServer({
    args: ['--seed-demo', '--db', db],
    env: { ...HIGH_LIMITS, ...env },
  });
  t.after(() => server.kill());
  return { server, db };
}

function postForm(url: string, fields: Record<string, string>): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
}

const corbeille = (description: string) => ({
  service_code: 'corbeille-pleine',
  lat: '47.3941',
  long: '0.6848',
  address_string: '1 place Jean Jaurès',
  description,
});

/** Prometheus text → value by `name{labels}` as written. */
function parseMetrics(text: string): Map<string, number> {
  const values = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    values.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return values;
}

test('/health answers {status: "ok"} as JSON', async (t) => {
  const { server } = await demoServer(t);
  const res = await fetch(`${server.url}health`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
  assert.deepEqual(await res.json(), { status: 'ok' });
});

/**
 * A POST whose body is still arriving: headers and half the body now, the rest on `finish()`. The
 * request is in flight at the server for as long as the test wants. Keep-alive, like browsers do.
 */
function slowPost(url: string, fields: Record<string, string>, agent: http.Agent) {
  const body = Buffer.from(new URLSearchParams(fields).toString());
  let req!: http.ClientRequest;
  const response = new Promise<{ status: number; connection: string | undefined; body: string }>(
    (resolve, reject) => {
      req = http.request(
        url,
        {
          method: 'POST',
          agent,
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            'content-length': body.length,
          },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
          res.on('end', () =>
            resolve({ status: res.statusCode!, connection: res.headers.connection, body: text }),
          );
          res.on('error', reject);
        },
      );
      req.on('error', reject);
    },
  );
  req.write(body.subarray(0, body.length >> 1));
  return { response, finish: () => req.end(body.subarray(body.length >> 1)) };
}

test('SIGTERM: in-flight requests answer 200, new ones are refused, exit 0 promptly', async (t) => {
  const { server, db } = await demoServer(t);
  const agent = new http.Agent({ keepAlive: true });
  t.after(() => agent.destroy());

  const descriptions = [0, 1, 2, 3].map(
    (i) => `posted while the server stops #${i} ${Math.random()}`,
  );
  const slow = descriptions.map((d) =>
    slowPost(`${server.url}${API}requests.json?api_key=${KEY}`, corbeille(d), agent),
  );
  // Connections open, headers parsed: the four requests are in flight. The client cannot see when the
  // server has parsed them; a connection whose headers are still unread is idle to the server and closed
  // at the stop, so the wait leaves room for a loaded machine (300 ms once gave ECONNRESET in CI).
  await sleep(1500);

  const signalledAt = server.stdout().length;
  server.child.kill('SIGTERM');
  const shuttingDown = await server.waitForLog('shutting down', 10_000, signalledAt);
  assert.equal(shuttingDown.signal, 'SIGTERM');
  await assert.rejects(
    fetch(`${server.url}health`),
    'a new connection is refused once the stop has begun',
  );

  await sleep(200);
  for (const s of slow) s.finish();
  const answers = await Promise.all(slow.map((s) => s.response));
  const answeredAt = Date.now();
  const exit = await server.exited;
  const exitMs = Date.now() - answeredAt;

  const ids = answers.map((a) => {
    assert.equal(a.status, 200, a.body);
    assert.equal(
      a.connection,
      'close',
      'the answer tells the keep-alive client the connection ends',
    );
    return (JSON.parse(a.body) as { service_request_id: string }[])[0]!.service_request_id;
  });
  assert.deepEqual(exit, { code: 0, signal: null }, server.stderr());
  assert.ok(exitMs < 2_000, `the process lingered ${exitMs} ms after its last answer`);
  assert.equal(server.stderr(), '');
  // On PostgreSQL, the jobs the server let go are logged too (`job leader`), whenever their runs end.
  const after = server.logs().slice(server.logs().findIndex((l) => l.msg === 'shutting down')).filter((l) => l.msg !== 'job leader');
  assert.deepEqual(
    after.map((l) => (l.msg === 'request' ? `${l.method} ${l.route} ${l.status}` : l.msg)),
    ['shutting down', ...ids.map(() => 'POST /open311/v2/requests.json 200'), 'stopped'],
  );

  // What was acknowledged during the stop was stored: a new process serves it.
  const again = await startServer({ args: ['--db', db] });
  t.after(() => again.kill());
  for (const [i, id] of ids.entries()) {
    const res = await fetch(`${again.url}${API}requests/${id}.json`);
    assert.equal(res.status, 200);
    const [got] = (await res.json()) as { description: string }[];
    assert.equal(got!.description, descriptions[i]);
  }
  assert.equal((await again.stop()).code, 0);
});

test('/metrics exposes request counts, latency, store size and rate-limit refusals', async (t) => {
  const { server } = await demoServer(t, { GEOREPORT_RATE_LIMIT_IP: '2', GEOREPORT_METRICS_TOKEN: 'a-metrics-token-for-tests' });
  const scrape = async () => {
    const res = await fetch(`${server.url}metrics`, { headers: { Authorization: 'Bearer a-metrics-token-for-tests' } });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    return parseMetrics(await res.text());
  };
  const before = await scrape();
  assert.equal(before.get('georeport_rate_limited_total{scope="ip"}'), 0);
  const publishedBefore = before.get('georeport_store_requests{visibility="published"}') ?? 0;

  for (let i = 0; i < 3; i++) await (await fetch(`${server.url}${API}services.json`)).arrayBuffer();
  const created: string[] = [];
  for (let i = 0; i < 2; i++) {
    const res = await postForm(
      `${server.url}${API}requests.json?api_key=${KEY}`,
      corbeille(`metrics ${i}`),
    );
    assert.equal(res.status, 200);
    created.push(((await res.json()) as { service_request_id: string }[])[0]!.service_request_id);
  }
  await (await fetch(`${server.url}${API}requests/${created[0]}.json`)).arrayBuffer();
  await (await fetch(`${server.url}${API}requests/999999999.json`)).arrayBuffer();

  // The third write from this address within the minute is refused, in the format asked for.
  const limited = await postForm(
    `${server.url}${API}requests.json?api_key=${KEY}`,
    corbeille('one too many'),
  );
  assert.equal(limited.status, 429);
  const retryAfter = Number(limited.headers.get('retry-after'));
  assert.ok(
    Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60,
    `Retry-After: ${retryAfter}`,
  );
  const [error] = (await limited.json()) as { code: number; description: string }[];
  assert.equal(error!.code, 429);
  assert.match(error!.description, /too many requests/);
  const limitedXml = await postForm(
    `${server.url}${API}requests.xml?api_key=${KEY}`,
    corbeille('xml'),
  );
  assert.equal(limitedXml.status, 429);
  assert.match(limitedXml.headers.get('content-type') ?? '', /^text\/xml/);
  assert.match(
    await limitedXml.text(),
    /<errors><error><code>429<\/code><description>too many requests/,
  );

  const m = await scrape();
  const count = (method: string, route: string, status: number) =>
    m.get(`georeport_http_requests_total{method="${method}",route="${route}",status="${status}"}`);
  assert.equal(count('GET', '/open311/v2/services.json', 200), 3);
  assert.equal(count('POST', '/open311/v2/requests.json', 200), 2);
  assert.equal(count('POST', '/open311/v2/requests.json', 429), 1);
  assert.equal(count('POST', '/open311/v2/requests.xml', 429), 1);
  assert.equal(
    count('GET', '/open311/v2/requests/:file', 200),
    1,
    'a route label, never the raw id',
  );
  assert.equal(count('GET', '/open311/v2/requests/:file', 404), 1);
  assert.ok(
    ![...m.keys()].some((k) => k.includes('999999999') || k.includes(`/${created[0]}.json`)),
  );

  const POST_REQUESTS = 'method="POST",route="/open311/v2/requests.json"';
  const bucket = (le: string) =>
    m.get(`georeport_http_request_duration_seconds_bucket{${POST_REQUESTS},le="${le}"}`);
  assert.equal(bucket('+Inf'), 3);
  assert.ok((bucket('0.0005') ?? -1) <= (bucket('5') ?? -1), 'buckets are cumulative');
  assert.equal(m.get(`georeport_http_request_duration_seconds_count{${POST_REQUESTS}}`), 3);

  assert.ok((m.get('georeport_store_bytes') ?? 0) > 0);
  assert.equal(m.get('georeport_store_requests{visibility="published"}'), publishedBefore + 2);
  assert.equal(m.get('georeport_rate_limited_total{scope="ip"}'), 2);
  assert.equal(m.get('georeport_rate_limited_total{scope="key"}'), 0);
});

test('request logs are JSON lines without any api_key, even from the query string', async (t) => {
  const { server } = await demoServer(t);
  const wrongKey = 'wrong-key-4c1e9a7f0b';
  const url = (path: string, key: string) =>
    `${server.url}${API}${path}?api_key=${encodeURIComponent(key)}`;

  const ok = await postForm(url('requests.json', KEY), corbeille('key in the query'));
  assert.equal(ok.status, 200);
  const refused = await postForm(
    url('requests.json', wrongKey),
    corbeille('wrong key in the query'),
  );
  assert.equal(refused.status, 403);
  const inBody = await postForm(`${server.url}${API}requests.xml`, {
    ...corbeille('key in the body'),
    api_key: KEY,
  });
  assert.equal(inBody.status, 200);
  const invalid = await postForm(url('requests.json', KEY), {
    api_key: KEY,
    service_code: 'corbeille-pleine',
  });
  assert.equal(invalid.status, 400);
  assert.equal((await fetch(url('services.json', KEY))).status, 200);
  assert.equal((await fetch(`${server.url}nowhere?api_key=${KEY}`)).status, 404);

  await sleep(100); // the last log lines are written after the answers
  const logs = server.logs(); // throws if a line is not JSON
  for (const line of logs) {
    assert.equal(typeof line.time, 'string');
    assert.equal(typeof line.level, 'string');
    assert.equal(typeof line.msg, 'string');
  }
  const posts = logs.filter((l) => l.msg === 'request' && l.method === 'POST');
  assert.deepEqual(
    posts.map((l) => `${l.path} ${l.status}`),
    [
      '/open311/v2/requests.json 200',
      '/open311/v2/requests.json 403',
      '/open311/v2/requests.xml 200',
      '/open311/v2/requests.json 400',
    ],
  );
  assert.ok(
    logs.every((l) => typeof l.path !== 'string' || !l.path.includes('?')),
    'no query string is logged',
  );
  for (const secret of [KEY, wrongKey]) {
    assert.ok(!server.stdout().includes(secret), `stdout contains ${secret}`);
    assert.ok(!server.stderr().includes(secret), `stderr contains ${secret}`);
  }
});

test('a client that goes away halfway through sending its report is logged as info, not as an error', async (t) => {
  const { server } = await demoServer(t);
  const url = new URL(server.url);
  const halfSent = (path: string, type: string, part: string) =>
    new Promise<void>((resolve) => {
      const socket = connect(Number(url.port), url.hostname, () => {
        socket.write(`POST /${path} HTTP/1.1\r\nHost: ${url.host}\r\nContent-Type: ${type}\r\nContent-Length: 5000\r\n\r\n${part}`);
        setTimeout(() => socket.destroy(), 300); // the rest never comes
      });
      socket.on('close', () => resolve());
      socket.on('error', () => {});
    });
  await halfSent(`${API}requests.json`, 'application/x-www-form-urlencoded', `api_key=${KEY}&service_code=corbeille-pleine&desc`);
  await halfSent(`${API}requests.json`, 'multipart/form-data; boundary=XX', `--XX\r\nContent-Disposition: form-data; name="api_key"\r\n\r\n${KEY}`);
  await halfSent('admin/api/session', 'application/json', '{"email": "agent@');
  assert.equal((await postForm(`${server.url}${API}requests.json`, { ...corbeille('still answering'), api_key: KEY })).status, 200);
  await sleep(100); // the last log lines are written after the answers
  const logs = server.logs();
  assert.deepEqual(logs.filter((l) => l.level === 'error'), [], 'no error is logged');
  assert.equal(logs.filter((l) => l.msg === 'client went away').length, 3);
});

test('a batch service answers a token, later the id, and then serves the request', async (t) => {
  const { server } = await demoServer(t, { GEOREPORT_BATCH_INTERVAL: '1' });
  const post = (description: string) =>
    postForm(`${server.url}${API}requests.json`, {
      api_key: KEY,
      service_code: 'encombrants',
      'attribute[objets]': 'un canapé et deux chaises',
      lat: '47.3911',
      long: '0.6912',
      address_string: '12 rue Nationale',
      description,
    });
  const tokenOf = async (res: Response) => {
    assert.equal(res.status, 200);
    const [item] = (await res.json()) as { token?: string; service_request_id?: string }[];
    assert.equal(item!.service_request_id, undefined, 'a batch POST answers no id');
    assert.match(item!.token ?? '', /^[\w-]{16,}$/);
    return item!.token!;
  };
  const lookup = async (token: string) => {
    const res = await fetch(`${server.url}${API}tokens/${token}.json`);
    assert.equal(res.status, 200);
    const [item] = (await res.json()) as { service_request_id: string; token: string }[];
    assert.equal(item!.token, token);
    return item!.service_request_id;
  };

  // Line up with the batch clock: the next run is about a second away once one has just happened.
  const warmUp = await tokenOf(await post('first of the batch'));
  const ran = await server.waitForLog('batch requests accepted', 5_000);
  assert.deepEqual(ran.ids, [Number(await lookup(warmUp))]);

  const description = `encombrants devant le n°12 ${Math.random()}`;
  const token = await tokenOf(await post(description));
  assert.equal(await lookup(token), '', 'not yet turned into a request: an empty id');
  const listed = (await (await fetch(`${server.url}${API}requests.json`)).json()) as {
    description: string;
  }[];
  assert.ok(
    !listed.some((r) => r.description === description),
    'a queued request is not public yet',
  );

  let id = '';
  for (const deadline = Date.now() + 5_000; id === '' && Date.now() < deadline; ) {
    await sleep(200);
    id = await lookup(token);
  }
  assert.match(id, /^\d+$/, 'the token turned into an id within a few batch intervals');
  const res = await fetch(`${server.url}${API}requests/${id}.json`);
  assert.equal(res.status, 200);
  const [got] = (await res.json()) as Record<string, unknown>[];
  assert.equal(got!.service_request_id, id);
  assert.equal(got!.service_code, 'encombrants');
  assert.equal(got!.description, description);
  assert.equal(got!.address, '12 rue Nationale');

  const unknown = await fetch(
    `${server.url}${API}tokens/00000000-0000-0000-0000-000000000000.json`,
  );
  assert.equal(unknown.status, 404);
});
