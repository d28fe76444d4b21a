/**
 * A full store: a write that cannot be kept answers 503 with `Retry-After` in its API's format, reads
 * go on, and nothing acknowledged before is lost. On SQLite the store really fills (the server's own
 * connection gets a low `max_page_count`, test/helpers/full-store.mjs) under concurrent filings; on
 * PostgreSQL a trigger raises the real `disk_full` error (53100) through the driver.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { onPostgres } from '../helpers/test-engine.ts';
import { openStoreOf, runCli, startServer, tempDir, type ServerProcess } from '../helpers/server-process.ts';

const CLIENTS = 6;
const LOAD_ENV = { GEOREPORT_RATE_LIMIT_IP: '1000000000', GEOREPORT_RATE_LIMIT_KEY: '1000000000' };
const HOOK = fileURLToPath(new URL('../helpers/full-store.mjs', import.meta.url));

const filing = (client: number, n: number) => ({
  api_key: 'demo-public-key',
  service_code: 'corbeille-pleine',
  description: `plein ${client}/${n} — ${'poubelle qui déborde '.repeat(20)}`,
  lat: (47.39 + client / 1000 + n / 1_000_000).toFixed(6),
  long: (0.68 + n / 1_000_000).toFixed(6),
});

const post = (server: ServerProcess, path: string, fields: Record<string, string>, headers: Record<string, string> = {}) =>
  fetch(`${server.url}open311/v2/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(fields).toString(),
  });

test('a full store answers writes 503 with Retry-After, keeps serving reads, and loses nothing it acknowledged', { timeout: 120_000 }, async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const db = `${dir}/georeport.db`;
  const seeded = await runCli(['seed', '--db', db]);
  assert.equal(seeded.code, 0, seeded.stderr);
  const crm = await runCli(['bus', 'apps', 'create', '--jurisdiction', 'ville.example', '--name', 'GRC', '--db', db]);
  const secret = /secret: (\S+)/.exec(crm.stdout)?.[1];
  assert.ok(secret, crm.stdout + crm.stderr);
  const staff = { email: 'agent@ville.example', password: 'un mot de passe assez long' };
  const agent = await runCli(['staff', 'create', '--email', staff.email, '--name', 'Agent', '--jurisdiction', 'ville.example', '--role', 'agent', '--db', db], { GEOREPORT_STAFF_PASSWORD: staff.password });
  assert.equal(agent.code, 0, agent.stderr);
  // SQLite: room for a few dozen filings after the migrated, seeded store.
  const hook: Record<string, string> = onPostgres ? {} : { NODE_OPTIONS: `--import=${HOOK}`, FULL_STORE_SPARE_PAGES: '60' };
  const server = await startServer({ args: ['--demo', '--db', db], env: { ...LOAD_ENV, ...hook } });
  t.after(() => server.kill());
  const store = await openStoreOf(db);
  t.after(() => store.close());
  // Staff logged in before the store fills (a login is a write too).
  const origin = server.url.slice(0, -1);
  const login = await fetch(`${server.url}admin/api/session`, { method: 'POST', headers: { 'content-type': 'application/json', origin }, body: JSON.stringify(staff) });
  assert.equal(login.status, 200, await login.clone().text());
  const session = { cookie: login.headers.get('set-cookie')!.split(';')[0]!, 'x-csrf-token': ((await login.json()) as { csrf_token: string }).csrf_token, origin };

  const acknowledged = new Map<string, string>(); // id → description
  const refused: string[] = [];
  const unexpected: string[] = [];
  let full = false;
  const client = async (c: number) => {
    for (let n = 0; refused.length < 30 && unexpected.length === 0; n++) {
      const fields = filing(c, n);
      const res = await post(server, 'requests.json', fields);
      const body = await res.text();
      if (res.status === 200) acknowledged.set((JSON.parse(body) as { service_request_id: string }[])[0]!.service_request_id, fields.description);
      else if (res.status === 503 && res.headers.get('retry-after') === '300' && (JSON.parse(body) as { reason: string }[])[0]!.reason === 'store.full') refused.push(fields.description);
      else unexpected.push(`${res.status} retry-after=${res.headers.get('retry-after')} ${body}`);
      // PostgreSQL: the disk "fills" once some filings are in.
      if (onPostgres && !full && acknowledged.size >= 40) {
        full = true;
        await store.run(`CREATE FUNCTION test_disk_full() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN RAISE EXCEPTION 'could not extend file: No space left on device' USING ERRCODE = 'disk_full'; END $$`);
        for (const table of ['requests', 'request_events']) {
          await store.run(`CREATE TRIGGER test_disk_full BEFORE INSERT ON ${table} FOR EACH ROW EXECUTE FUNCTION test_disk_full()`);
        }
      }
    }
  };
  await Promise.all(Array.from({ length: CLIENTS }, (_, c) => client(c)));
  assert.deepEqual(unexpected.slice(0, 3), [], 'every filing was answered 200, or 503 store.full with Retry-After');
  assert.ok(acknowledged.size >= 20, `only ${acknowledged.size} filings were acknowledged before the store was full`);
  assert.ok(refused.length >= 30, `the store never filled (${refused.length} refused)`);

  // Full: in XML and in French too, and reads are served.
  // A filing may still fit in the free room of the store's pages (seen in CI): those go on being acknowledged.
  let xml: Response | undefined;
  for (let n = 0; n < 20 && xml?.status !== 503; n++) {
    const fields = filing(99, n);
    xml = await post(server, 'requests.xml', fields, { 'accept-language': 'fr' });
    if (xml.status === 200) acknowledged.set(/<service_request_id>(\d+)</.exec(await xml.clone().text())![1]!, fields.description);
  }
  assert.equal(xml!.status, 503);
  assert.equal(xml!.headers.get('retry-after'), '300');
  const text = await xml!.text();
  assert.match(text, /<reason>store\.full<\/reason>/);
  assert.match(text, /espace de stockage de ce serveur est plein/);
  const [someId, someDescription] = [...acknowledged][0]!;
  const one = await fetch(`${server.url}open311/v2/requests/${someId}.json`);
  assert.equal(one.status, 200);
  assert.equal(((await one.json()) as { description: string }[])[0]!.description, someDescription);
  assert.equal((await fetch(`${server.url}open311/v2/requests.json`)).status, 200);
  assert.equal((await fetch(`${server.url}open311/v2/services.json`)).status, 200);
  // The bus and the back office in their JSON format: a CRM's status update and an agent's note, long
  // ones, are refused alike (the first few may still fit in the free room of the store's pages).
  const until503 = async (url: string, headers: Record<string, string>, body: (n: number) => object) => {
    let res: Response | undefined;
    for (let n = 0; n < 20 && res?.status !== 503; n++) {
      res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body(n)) });
      assert.ok([200, 503].includes(res.status), await res.clone().text());
    }
    assert.equal(res!.status, 503, url);
    assert.equal(res!.headers.get('retry-after'), '300');
    assert.equal(((await res!.json()) as { error: { code: number } }).error.code, 503);
  };
  const note = 'é'.repeat(4000);
  await until503(`${server.url}bus/v1/requests/${someId}/updates`, { authorization: `Bearer ${secret}` }, (n) => ({ update_id: `grc-${n}`, detailed_status: 'in_progress', note, public: false }));
  await until503(`${server.url}admin/api/j/ville.example/requests/${someId}/notes`, session, () => ({ note, public: false }));
  // Space freed: writes are taken again, and the store holds every filing acknowledged, none refused.
  if (onPostgres) for (const table of ['requests', 'request_events']) await store.run(`DROP TRIGGER test_disk_full ON ${table}`);
  else server.child.kill('SIGUSR2');
  const again = await post(server, 'requests.json', filing(98, 1));
  assert.equal(again.status, 200, await again.clone().text());
  const kept = new Map((await store.query<{ id: number; description: string }>('SELECT id, description FROM requests')).map((r) => [String(r.id), r.description]));
  const lost = [...acknowledged].filter(([id, description]) => kept.get(id) !== description);
  assert.deepEqual(lost.slice(0, 3), [], `${lost.length} of ${acknowledged.size} acknowledged filings are lost`);
  const descriptions = new Set(kept.values());
  const stored = refused.filter((d) => descriptions.has(d));
  assert.deepEqual(stored.slice(0, 3), [], `${stored.length} filings answered 503 were stored all the same`);
  assert.equal((await server.stop()).code, 0, server.stderr());
});
