/**
 * Issue 17 end to end: three georeport nodes on one PostgreSQL behind a real HAProxy, under a steady stream
 * of filings and reads through HAProxy, with followers' e-mail going to a real SMTP server and two CRM
 * consumers on the bus, while one node is SIGKILLed, another stopped and started again (SIGTERM), and the
 * killed one brought back. The scenario runs once (`before`); each test then checks one thing a resident,
 * a CRM or an operator would notice. Runs on PostgreSQL whatever the pass (it starts its own).
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Engine } from '../../server/db/engine.ts';
import { openEngine } from '../../server/db/open-engine.ts';
import { startCluster, type Cluster } from '../helpers/cluster.ts';
import { SERVED_BY } from '../helpers/haproxy.ts';
import { LEASE_SECONDS, startCrmConsumers, type CrmConsumers } from '../helpers/crm-consumers.ts';

const WRITERS = 6;
const READERS = 2;
/** Filings acknowledged between two steps of the scenario, so that every kill and restart lands under load. */
const STEP_ACKS = 40;
const STEP_MAX_MS = 60_000;
/**
 * One filing in ten of the first writer carries a reporter's e-mail (a confirmation request each): a few
 * dozen in all, as a node sends at most 20 of a kind every 2 s.
 */
const mailed = (writer: number, n: number) => writer === 0 && n % 10 === 0;

interface Filing {
  fields: Record<string, string>;
  /** The node HAProxy says answered (`<NOSRV>`: none), or undefined when no answer came at all. */
  servedBy?: string;
  status?: number;
  id?: string;
  error?: string;
  /** When it was sent and when its answer or error came (ms since the epoch). */
  sent: number;
  ended: number;
}

let cluster: Cluster;
let store: Engine;
let crm: CrmConsumers;
let integrationKey: string;
const filings: Filing[] = [];
const failedReads: string[] = [];
let inFlightAtKill = 0;
/** When n1 was sent SIGKILL, and when it had exited. */
const kill = { sent: 0, exited: 0 };
/** How long each step of the scenario took, for the report. */
const steps: string[] = [];
const acknowledged = () => filings.filter((f) => f.id !== undefined);

/** A filing no other resembles: its own text, place and (some) reporter's address. */
function uniqueFiling(writer: number, n: number): Record<string, string> {
  return {
    api_key: 'demo-public-key',
    service_code: n % 2 ? 'tag-graffiti' : 'corbeille-pleine',
    description: `cluster ${writer}/${n} — tag sur le mur de l'école`,
    lat: (47.39 + writer / 1000 + n / 1e6).toFixed(6),
    long: (0.68 + n / 1e6).toFixed(6),
    ...(mailed(writer, n) ? { email: `w${writer}n${n}@exemple.fr`, email_updates: 'true' } : {}),
  };
}

/** POSTs one filing through HAProxy and records what came back. */
async function file(fields: Record<string, string>): Promise<Filing> {
  const filing: Filing = { fields, sent: Date.now(), ended: 0 };
  try {
    const res = await fetch(`${cluster.url}open311/v2/requests.json`, { method: 'POST', body: new URLSearchParams(fields) });
    filing.servedBy = res.headers.get(SERVED_BY) ?? undefined;
    filing.status = res.status;
    const text = await res.text();
    if (res.ok) filing.id = (JSON.parse(text) as { service_request_id?: string }[])[0]?.service_request_id;
    else filing.error = text.slice(0, 200);
  } catch (e) {
    filing.error = String((e as Error).cause ?? e);
  }
  filing.ended = Date.now();
  return filing;
}

/** Resolves once `more` filings have been acknowledged since the call; fails rather than go on without load. */
async function acknowledgedMore(more: number, step: string): Promise<void> {
  const target = acknowledged().length + more;
  await waitUntil(() => acknowledged().length >= target, `${step}: ${target} filings acknowledged`, STEP_MAX_MS);
}

before(async () => {
  let since = Date.now();
  const step = (name: string) => {
    steps.push(`${name} ${((Date.now() - since) / 1000).toFixed(1)} s`);
    since = Date.now();
  };
  cluster = await startCluster({ nodes: 3 });
  store = await openEngine({ databaseUrl: cluster.databaseUrl, dbFile: '', migrate: false, poolSize: 2 });
  const [key, app] = await Promise.all([
    cluster.cli(['keys', 'create', '--name', 'CRM', '--scopes', 'report,updates']),
    cluster.cli(['bus', 'apps', 'create', '--jurisdiction', 'ville.example', '--name', 'GRC']),
  ]);
  integrationKey = /^api_key: (\S+)$/m.exec(key.stdout)![1]!;
  crm = startCrmConsumers(`${cluster.url}bus/v1/`, /^secret: (\S+)$/m.exec(app.stdout)![1]!, 2);
  step('start');

  let loading = true;
  let inFlight = 0;
  const writer = async (w: number) => {
    for (let n = 0; loading; n++) {
      inFlight++;
      filings.push(await file(uniqueFiling(w, n)));
      inFlight--;
    }
  };
  const reader = async () => {
    while (loading) {
      const known = acknowledged();
      const path = known.length && Math.random() < 0.7 ? `requests/${known[Math.floor(Math.random() * known.length)]!.id}.json` : 'requests.json?page_size=20';
      try {
        const res = await fetch(`${cluster.url}open311/v2/${path}`);
        await res.arrayBuffer();
        if (res.status !== 200) failedReads.push(`${path}: ${res.status} from ${res.headers.get(SERVED_BY)}`);
      } catch (e) {
        failedReads.push(`${path}: ${String((e as Error).cause ?? e)}`);
      }
    }
  };
  const load = Promise.all([...Array.from({ length: WRITERS }, (_, w) => writer(w)), ...Array.from({ length: READERS }, reader)]);
  const [n1, n2] = cluster.nodes;
  try {
    await acknowledgedMore(STEP_ACKS, 'warm-up');
    inFlightAtKill = inFlight;
    kill.sent = Date.now();
    assert.equal((await n1!.kill('SIGKILL')).signal, 'SIGKILL');
    kill.exited = Date.now();
    await cluster.balancer.waitFor('n1', 'DOWN');
    await acknowledgedMore(STEP_ACKS, 'n1 killed');
    const stopped = await n2!.kill('SIGTERM');
    assert.equal(stopped.code, 0, `n2 stopped cleanly\n${n2!.process.stderr()}`);
    await cluster.balancer.waitFor('n2', 'DOWN');
    await acknowledgedMore(STEP_ACKS, 'n3 alone');
    await n2!.restart();
    await cluster.balancer.waitFor('n2', 'UP');
    await n1!.restart();
    await cluster.balancer.waitFor('n1', 'UP');
    await acknowledgedMore(STEP_ACKS, 'all three back');
  } finally {
    loading = false;
    await load;
  }
  step('load');
  // The CRM gets the last messages (any leased on the killed node come back when their lease ends).
  await crm.received(acknowledged().map((f) => f.id!), (LEASE_SECONDS + 2) * 1000).catch(() => undefined);
  await crm.stop();
  step('bus drained');
}, { timeout: 400_000 });

after(async () => {
  await crm?.stop();
  await store?.close();
  await cluster?.stop();
});

test('every filing HAProxy acknowledged (a 2xx with an id) is stored once, whatever node took it', async (t) => {
  const acked = acknowledged();
  t.diagnostic(`${filings.length} filings, ${acked.length} acknowledged, ${inFlightAtKill} in flight at the kill; ${steps.join(', ')}`);
  assert.ok(inFlightAtKill > 0, 'the kill landed while filings were in flight');
  const served = new Set(acked.map((f) => f.servedBy));
  assert.deepEqual([...served].sort(), ['n1', 'n2', 'n3'], 'every node took filings');
  assert.equal(new Set(acked.map((f) => f.id)).size, acked.length, 'each acknowledgement has its own id');
  assert.ok(acked.every((f) => /^[1-9]\d*$/.test(f.id!)), 'every 2xx carries an id');
  const stored = await store.query<{ description: string; n: number }>(
    "SELECT description, count(*) AS n FROM requests WHERE description LIKE 'cluster %' GROUP BY description",
  );
  const times = new Map(stored.map((r) => [r.description, r.n]));
  const missing = acked.filter((f) => times.get(f.fields.description!) !== 1).map((f) => `${f.id} (${times.get(f.fields.description!) ?? 0} stored)`);
  assert.deepEqual(missing, [], 'every acknowledged filing is stored exactly once');
  const twice = stored.filter((r) => r.n > 1).map((r) => r.description);
  assert.deepEqual(twice, [], 'no filing is stored twice (HAProxy never sends a POST again)');
});

test('a filing fails only when it was in flight at the kill, and then the client is told', async (t) => {
  const failed = filings.filter((f) => f.id === undefined);
  const stats = [...(await cluster.balancer.stats())].map(([name, s]) => `${name}: ${s.sessions} sent, ${s.retries} retried, ${s.redispatches} redispatched`);
  t.diagnostic(`${failed.length} filings failed; ${stats.join('; ')}`);
  // HAProxy answers 502, or closes a keep-alive connection without an answer (a client may retry then).
  const told = (f: Filing) => (f.status === 502 && f.servedBy === 'n1') || (f.status === undefined && /other side closed/.test(f.error ?? ''));
  const unexpected = failed.filter((f) => !told(f) || f.sent > kill.exited || f.ended < kill.sent);
  assert.deepEqual(unexpected.map((f) => `${f.status ?? 'no answer'} from ${f.servedBy ?? '?'} (${f.error}), sent ${f.sent - kill.sent} ms after the kill`), [],
    'every failure was in flight at the kill, and told as a 502 from the killed node or a connection closed');
  assert.ok(failed.length <= inFlightAtKill, `${failed.length} failures for ${inFlightAtKill} filings in flight at the kill`);
  assert.deepEqual(failedReads, [], 'no read failed: HAProxy sends a GET again elsewhere');
});

test('GET one request gives the same answer from every node, the one filed', async () => {
  const queue = [...acknowledged()];
  const problems: string[] = [];
  const check = async () => {
    for (let f = queue.pop(); f; f = queue.pop()) {
      const bodies = await Promise.all(cluster.nodes.map(async (n) => {
        const res = await fetch(`${n.url}open311/v2/requests/${f.id}.json`);
        return `${res.status} ${await res.text()}`;
      }));
      if (new Set(bodies).size !== 1) problems.push(`${f.id}: ${bodies.join(' | ')}`);
      const [got] = JSON.parse(bodies[0]!.slice(4)) as Record<string, unknown>[];
      if (got?.description !== f.fields.description || got?.service_code !== f.fields.service_code) problems.push(`${f.id}: ${bodies[0]}`);
    }
  };
  await Promise.all(Array.from({ length: 6 }, check));
  assert.deepEqual(problems.slice(0, 5), [], `${problems.length} requests differ between nodes or from what was filed`);
});

test('every bus message is delivered at least once and applied once', async (t) => {
  const ids = acknowledged().map((f) => f.id!);
  t.diagnostic(`${crm.messages.length} deliveries, ${crm.restarts} consumer restarts after an error`);
  const delivered = new Set(crm.messages.filter((m) => m.type === 'created').map((m) => m.request));
  assert.deepEqual(ids.filter((id) => !delivered.has(id)), [], 'every acknowledged filing reached the CRM');
  assert.deepEqual(crm.afterAck, [], 'no message delivered again once acknowledged');
  const applied = await store.query<{ request_id: number; n: number }>(
    "SELECT request_id, count(*) AS n FROM request_events WHERE update_id LIKE 'consumer-%' GROUP BY request_id",
  );
  const times = new Map(applied.map((r) => [String(r.request_id), r.n]));
  assert.deepEqual(ids.filter((id) => times.get(id) !== 1).map((id) => `${id}: ${times.get(id) ?? 0}`), [], 'the CRM took each request in charge exactly once');
});

test('every follower e-mail is sent exactly once', async () => {
  const withEmail = acknowledged().filter((f) => f.fields.email);
  const to = (address: string) => cluster.smtp.received.filter((m) => m.envelope.to.includes(address));
  await waitUntil(() => withEmail.every((f) => to(f.fields.email!).length > 0), 'a confirmation request to each reporter');
  // Three followers confirm, and their requests are fixed: one status e-mail each.
  const confirmed = withEmail.slice(0, 3);
  for (const f of confirmed) {
    const link = new RegExp(`https?://\\S+/confirm/[A-Za-z0-9_-]+`).exec(to(f.fields.email!)[0]!.text)![0];
    assert.equal((await fetch(link, { method: 'POST' })).status, 200);
    const res = await fetch(`${cluster.url}open311/v2/servicerequestupdates.json`, {
      method: 'POST',
      body: new URLSearchParams({ api_key: integrationKey, service_request_id: f.id!, update_id: `fixed-${f.id}`, status: 'FIXED', description: 'Nettoyé' }),
    });
    assert.equal(res.status, 200, await res.text());
  }
  await waitUntil(() => confirmed.every((f) => to(f.fields.email!).some((m) => /Résolu|Fixed/.test(m.subject))), 'a status e-mail to each follower');
  await new Promise((r) => setTimeout(r, 5000)); // two rounds of every node's e-mail job: room for copies
  const sent = cluster.smtp.received.map((m) => `${m.envelope.to.join(',')} ${m.subject}`);
  assert.deepEqual(sent.filter((s, i) => sent.indexOf(s) !== i), [], 'no e-mail sent twice');
});

test('every node gives the same map ETag, and all move together on a write', async () => {
  const path = 'open311/v2/map.json?bbox=0.6,47.3,0.8,47.5&zoom=12';
  const etags = async () => Promise.all(cluster.nodes.map(async (n) => {
    const res = await fetch(`${n.url}${path}`);
    await res.arrayBuffer();
    return res.headers.get('etag');
  }));
  const before = await etags();
  assert.equal(new Set(before).size, 1, `one ETag: ${before.join(' ')}`);
  assert.ok((await file(uniqueFiling(99, 1))).id);
  await waitUntil(async () => (await etags()).every((e) => e !== before[0]), 'every node sees the new filing', 5000);
  const now = await etags();
  assert.equal(new Set(now).size, 1, `one ETag after the write: ${now.join(' ')}`);
});

async function waitUntil(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
