/**
 * `npm run bench`, phase 4: a backlog of 100,000 bus messages (`BENCH_BUS_MESSAGES`), one per request
 * filed while a CRM's app was registered, drained by the reference consumer (`georeport bus-consumer
 * --once`, a process of its own, over HTTP on loopback), as messages per second; and, on the same server
 * in the same run, how many requests per second it files (wrk POST). Aim: the bus drains at least as fast
 * as requests can be created.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createBusAppsStore } from '../../server/bus/bus-apps.store.ts';
import { createSqliteEngine } from '../../server/db/sqlite-engine.ts';
import { fillStore } from './fill-store.ts';
import { freePort, startGeoreport, type Server } from './processes.ts';
import { runWrk, type WrkSettings } from './wrk.ts';

const ROOT = new URL('../../', import.meta.url);
/** Messages per poll, the largest the bus gives. */
const BATCH = 500;

/** Runs the reference consumer until the backlog is empty; resolves with what it printed last. */
function drain(server: Server, secret: string, max: number): Promise<{ drained: number; seconds: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts', 'bus-consumer', '--url', `${server.url}/bus/v1/`,
      '--secret', secret, '--once', '--quiet', '--max', String(max), '--lease', '600'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
    child.once('exit', (code) => {
      const last = out.trim().split('\n').at(-1) ?? '';
      if (code !== 0) return reject(new Error(`the consumer exited with ${code}: ${out}`));
      resolve(JSON.parse(last) as { drained: number; seconds: number });
    });
  });
}

export async function busPhase(work: string, count: number, settings: { warmup: WrkSettings; measure: WrkSettings }, servers: Server[]) {
  process.stdout.write(`\nPhase 4: the bus, a backlog of ${count} messages… `);
  let secret = '';
  const store = await fillStore(join(work, 'bus.db'), count, Date.now(), {
    writer: 'batch',
    prepare: async (db) => {
      secret = (await createBusAppsStore(createSqliteEngine(db)).create({
        jurisdictionId: 'ville.example', name: 'bench CRM', services: null, events: null, delivery: 'immediate', maxAttempts: 10,
        webhookUrl: null, ownerEmail: null, alertWebhook: null, now: Math.floor(Date.now() / 1000), actor: 'bench',
      })).secret;
    },
  });
  process.stdout.write(`${store.requests} requests filed in ${(store.fillMs / 1000).toFixed(1)} s\n`);
  const server = await startGeoreport(store.file, await freePort());
  servers.push(server);
  process.stdout.write(`  draining with batches of ${BATCH}… `);
  const run = await drain(server, secret, BATCH);
  process.stdout.write(`${run.drained} messages in ${run.seconds.toFixed(1)} s\n`);
  const drained = { max: BATCH, ...run, perSecond: run.drained / run.seconds };
  process.stdout.write('  POST a request (wrk, as in phase 1)… ');
  const url = `${server.url}/open311/v2/requests.json`;
  await runWrk(url, settings.warmup, work, { script: 'post' });
  const post = await runWrk(url, settings.measure, work, { script: 'post' });
  process.stdout.write(`${Math.round(post.rps)} req/s\n`);
  return { messages: count, drain: drained, postRps: post.rps, ratio: drained.perSecond / post.rps, met: drained.perSecond >= post.rps };
}
