/**
 * `npm run bench`, phase 5: the agent's inbox (`GET /admin/api/j/…/requests`, a page of 500, the
 * largest the list gives) over a store of 100,000 requests (`BENCH_INBOX_REQUESTS`), logged in as an
 * agent, against GET one request of the same server in the same run. The store is filled as phase 1's,
 * then made to look like a town's inbox: each request due by its category's SLA hours, a fifth assigned.
 * The cases are the default view (newest first) and the sorts that cannot walk one index (by deadline,
 * by category) under the filters of the queues.
 */
import { join } from 'node:path';
import { hashPassword } from '../../server/admin/passwords.ts';
import { createStaffStore } from '../../server/admin/staff.store.ts';
import { openDatabase } from '../../server/db/database.ts';
import { openEngine } from '../../server/db/open-engine.ts';
import { fillStore } from './fill-store.ts';
import { freePort, startGeoreport, type Server } from './processes.ts';
import { runWrk, type Load, type WrkResult, type WrkSettings } from './wrk.ts';
import { idWalk } from './walk.ts';

const AGENT = { email: 'bench.agent@ville.example', password: 'a bench password, long enough' };
const LIST = '/admin/api/j/ville.example/requests?per_page=500';

/** The views timed, each a page of 500 of the inbox. */
const VIEWS = [
  { name: 'inbox, newest first', query: '' },
  { name: 'inbox, open, by deadline', query: '&status=open&sort=sla' },
  { name: 'inbox, unassigned, by category', query: '&assignee=none&status=open&sort=category' },
  { name: 'inbox, overdue, by assignee (desc.)', query: '&sla=overdue&sort=-assignee' },
];

/** Due times from the categories' SLA hours and a fifth of the requests given to the agent (bench-only SQL). */
function makeInbox(file: string, agentId: number) {
  const db = openDatabase(file);
  try {
    db.prepare(`UPDATE requests SET expected_at = requested_at + 3600 * (SELECT sla_hours FROM services s WHERE s.id = requests.service_id)`).run();
    db.prepare('UPDATE requests SET assignee_id = ? WHERE id % 5 = 0').run(agentId);
    db.exec('ANALYZE');
  } finally {
    db.close();
  }
}

/** Logs the agent in; the session cookie for wrk. */
async function login(server: Server): Promise<string> {
  const res = await fetch(`${server.url}/admin/api/session`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(AGENT),
  });
  if (!res.ok) throw new Error(`the agent's login answered ${res.status}: ${await res.text()}`);
  return res.headers.get('set-cookie')!.split(';')[0]!;
}

/** Calls a view once: checks it answers a full page, with its total. */
async function check(server: Server, path: string, cookie: string) {
  const res = await fetch(server.url + path, { headers: { Cookie: cookie } });
  const body = await res.text();
  if (!res.ok) throw new Error(`GET ${path} answered ${res.status}: ${body}`);
  const page = JSON.parse(body) as { total: number; requests: unknown[] };
  return { items: page.requests.length, total: page.total };
}

export async function inboxPhase(work: string, count: number, settings: { warmup: WrkSettings; measure: WrkSettings }, servers: Server[]) {
  process.stdout.write(`\nPhase 5: the inbox over ${count} requests… `);
  const passwordHash = await hashPassword(AGENT.password);
  const store = await fillStore(join(work, 'inbox.db'), count, Date.now(), { writer: 'batch' });
  const engine = await openEngine({ dbFile: store.file });
  const agentId = await createStaffStore(engine).create({ email: AGENT.email, name: 'Bench Agent', passwordHash, roles: [['ville.example', 'agent']], now: Math.floor(Date.now() / 1000) });
  await engine.close();
  makeInbox(store.file, agentId);
  process.stdout.write(`${store.requests} requests in ${(store.fillMs / 1000).toFixed(1)} s\n`);
  const server = await startGeoreport(store.file, await freePort());
  servers.push(server);
  const cookie = await login(server);

  const time = async (name: string, path: string, load: Load): Promise<WrkResult> => {
    process.stdout.write(`  ${name}… `);
    await runWrk(server.url + path, settings.warmup, work, load);
    const r = await runWrk(server.url + path, settings.measure, work, load);
    process.stdout.write(`${Math.round(r.rps)} req/s${r.errors ? `, ${r.errors} ERRORS` : ''}\n`);
    return r;
  };
  const getOne = await time('GET one request, cold', `/open311/v2/requests/${store.lastId}.json`, { walk: idWalk(store.firstId, store.lastId) });
  const views = [];
  for (const v of VIEWS) {
    const path = LIST + v.query;
    const checked = await check(server, path, cookie);
    views.push({ ...v, path, ...checked, r: await time(v.name, path, { script: 'cookie', args: [cookie] }) });
  }
  return {
    requests: store.requests, getOne,
    views: views.map((v) => ({ ...v, ratio: getOne.rps / v.r.rps })),
  };
}
