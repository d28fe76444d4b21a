import { Hono, type Context } from 'hono';
import type { CatalogueStore } from '../catalogue/catalogue.store.ts';
import type { Queryable } from '../db/engine.ts';
import { parseDatetime } from '../georeport/datetime.ts';
import type { Logger } from '../logger.ts';
import type { BusApp, BusAppsStore } from './bus-apps.store.ts';
import { bodyLimit } from '../http/body.ts';
import { jsonBodyLimit, readJson } from '../http/json-body.ts';
import { JsonError, storeFullAnswer } from '../http/json-error.ts';
import { isStoreFull } from '../db/store-full.ts';
import type { BusAuditStore } from './audit.store.ts';
import { createBusAccess } from './bus-access.ts';
import { createBusInbound, parseBusUpdate, parseOpen311Catalogue, replaceCatalogue } from './inbound.ts';
import type { OutboxStore } from './outbox.store.ts';
import type { BusWakeups } from './wakeups.ts';
import type { UpdatesStore } from '../requests/updates.store.ts';
import { unexpectedError } from '../http/unexpected.ts';

export interface BusDeps {
  /** The engine the bus's stores run on. */
  engine: Queryable;
  apps: BusAppsStore;
  outbox: OutboxStore;
  audit: BusAuditStore;
  updates: UpdatesStore;
  catalogue: CatalogueStore;
  logger: Logger;
  /** Milliseconds since the epoch. */
  now: () => number;
  /** Wakes waiting long polls when their app has new messages, and bounds how many wait. */
  wakeups: BusWakeups;
}

/** What a call carries along: its app, the ids it is about and, when refused, why (for the audit). */
type Env = { Variables: { busApp: BusApp; ids: (string | number)[]; refusal: string } };

/** A catalogue push (every service with its attributes and translations) is the largest body. */
const MAX_BODY = 5 * 1024 * 1024;

function integer(c: Context, name: string, min: number, max: number, fallback: number): number {
  const text = c.req.query(name);
  if (text === undefined || text === '') return fallback;
  if (!/^\d{1,9}$/.test(text) || Number(text) < min || Number(text) > max) throw new JsonError(400, `${name} must be a whole number from ${min} to ${max}`);
  return Number(text);
}

/** Message ids: positive integers (or their strings). */
function ids(value: unknown, name = 'ids'): number[] {
  if (!Array.isArray(value) || value.length === 0 || value.length > 1000) throw new JsonError(400, `${name} must be a list of 1 to 1000 message ids`);
  return value.map((v) => {
    const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d{1,15}$/.test(v) ? Number(v) : NaN;
    if (!Number.isSafeInteger(n) || n < 1) throw new JsonError(400, `${name} must be message ids such as "12"`);
    return n;
  });
}

/**
 * The bus API (`/bus/v1`), for a city's CRM: every call carries `Authorization: Bearer <app secret>` and
 * is written to the audit log, refused ones included. Errors are JSON: `{"error": {"code", "message",
 * "problems"?}}`.
 */
export function createBusRoutes(deps: BusDeps) {
  const { apps, outbox, audit } = deps;
  const seconds = () => Math.floor(deps.now() / 1000);
  const inbound = createBusInbound(deps.engine);
  const access = createBusAccess(deps.engine);
  const app = new Hono<Env>();

  app.use('*', async (c, next) => {
    const started = performance.now();
    const secret = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '')?.[1];
    const found = secret ? await apps.verify(secret) : undefined;
    const entry = (status: number, detail: string | null) => audit.record({
      appId: found?.id ?? null, at: seconds(), direction: 'in', method: c.req.method, endpoint: new URL(c.req.url).pathname,
      status, ids: c.get('ids') ?? [], durationMs: performance.now() - started, detail,
    });
    if (!found) {
      const refused = new JsonError(401, secret ? 'the bearer secret is not valid' : 'Authorization: Bearer <app secret> is required');
      await entry(401, `${refused.message}${secret ? ` (secret starting ${secret.slice(0, 8)})` : ''}`);
      c.header('WWW-Authenticate', 'Bearer realm="georeport bus"');
      return c.json(refused.body(), 401);
    }
    c.set('busApp', found);
    c.set('ids', []);
    await apps.touch(found.id, seconds());
    await next();
    await entry(c.res.status, c.res.status >= 400 ? c.get('refusal') ?? null : null);
  });
  // After the secret: an unknown caller's body is never read. Then held to 5 MB while it streams.
  app.use('*', bodyLimit(jsonBodyLimit(MAX_BODY)));

  app.get('/messages', async (c) => {
    const busApp = c.get('busApp');
    const max = integer(c, 'max', 1, 500, 50);
    const wait = integer(c, 'wait', 0, 30, 0);
    const lease = integer(c, 'lease', 5, 3600, 60);
    const deadline = Date.now() + wait * 1000;
    const poll = wait > 0 ? deps.wakeups.join(busApp.id) : undefined;
    if (wait > 0 && !poll) {
      c.header('Retry-After', '1');
      throw new JsonError(429, 'too many long polls of this app wait on this server: wait for one to answer, or poll with wait=0');
    }
    try {
      for (;;) {
        // Armed before the look: a message committed while it runs wakes the sleep below at once.
        poll?.arm();
        const messages = await outbox.lease(busApp, max, lease, seconds());
        if (messages.length > 0 || Date.now() >= deadline) {
          c.set('ids', messages.map((m) => m.id));
          return c.json({ messages });
        }
        await poll!.sleep(Math.min(deps.wakeups.periodMs, deadline - Date.now()), c.req.raw.signal);
        // A client gone while its poll slept is leased nothing: it would not receive it, and the messages
        // would wait for the lease to run out.
        if (c.req.raw.signal.aborted) return c.json({ messages: [] });
      }
    } finally {
      poll?.leave();
    }
  });

  app.post('/ack', async (c) => {
    const body = await readJson(c);
    const wanted = ids((body as { ids?: unknown })?.ids);
    c.set('ids', wanted);
    const acked = await outbox.ack(c.get('busApp').id, wanted, seconds());
    const done = new Set(acked);
    return c.json({ acked: acked.map(String), unknown: wanted.filter((id) => !done.has(id)).map(String) });
  });

  app.post('/nack', async (c) => {
    const body = (await readJson(c)) as Record<string, unknown> | null;
    const [id] = ids([body?.id], 'id');
    c.set('ids', [id!]);
    const retry = body?.retry_after ?? 30;
    if (!Number.isInteger(retry) || (retry as number) < 0 || (retry as number) > 86_400) throw new JsonError(400, 'retry_after must be a whole number of seconds from 0 to 86400');
    const error = body?.error === undefined || body.error === null ? null : String(body.error).slice(0, 500);
    const state = await outbox.nack(c.get('busApp'), id!, retry as number, error, seconds());
    if (!state) throw new JsonError(404, `message ${id} is not one delivered to this app and still open`);
    return c.json({ id: String(id), state });
  });

  app.get('/dead-letters', async (c) => {
    const messages = await outbox.deadLetters(c.get('busApp').id, integer(c, 'after', 0, 1e9, 0), integer(c, 'limit', 1, 500, 100), seconds());
    return c.json({ messages, next: messages.at(-1)?.id ?? null });
  });

  app.post('/replay', async (c) => {
    const wanted = ids(((await readJson(c)) as { ids?: unknown })?.ids);
    c.set('ids', wanted);
    return c.json({ replayed: (await outbox.replay(c.get('busApp').id, wanted, seconds())).map(String) });
  });

  app.get('/history', async (c) => {
    const sinceText = c.req.query('since');
    const since = sinceText ? parseDatetime(sinceText) : 0;
    if (since === undefined) throw new JsonError(400, 'since must be a W3C datetime with a zone');
    const messages = await outbox.history(c.get('busApp').id, since, integer(c, 'after', 0, 1e15, 0), integer(c, 'limit', 1, 500, 100), seconds());
    return c.json({ messages, next: messages.at(-1)?.id ?? null });
  });

  app.get('/health', async (c) => {
    const busApp = c.get('busApp');
    return c.json({ app: { id: String(busApp.id), name: busApp.name, jurisdiction_id: busApp.jurisdictionId, delivery: busApp.delivery }, backlog: await outbox.backlog(busApp, seconds()) });
  });

  app.get('/audit', async (c) => {
    const since = parseDatetime(c.req.query('since') ?? '1970-01-01T00:00:00Z');
    if (since === undefined) throw new JsonError(400, 'since must be a W3C datetime with a zone');
    return c.json({ entries: await audit.list({ appId: c.get('busApp').id }, since, integer(c, 'limit', 1, 1000, 100)) });
  });

  app.post('/requests/:id{[1-9][0-9]{0,14}}/updates', async (c) => {
    const busApp = c.get('busApp');
    const id = Number(c.req.param('id'));
    c.set('ids', [id]);
    await access.requireRequest(busApp, id);
    const update = parseBusUpdate(await readJson(c));
    const result = await inbound.apply(busApp.jurisdictionId, busApp.id, id, update, seconds());
    if (!result) throw new JsonError(404, `request ${id} is not a request of ${busApp.jurisdictionId} sent to this app`);
    return c.json({ update_id: update.updateId, event_id: String(result.eventId), duplicate: result.duplicate });
  });

  app.put('/catalogue', async (c) => {
    const busApp = c.get('busApp');
    const jurisdiction = (await deps.catalogue.jurisdiction(busApp.jurisdictionId))!;
    const catalogue = parseOpen311Catalogue(await readJson(c), jurisdiction);
    access.requireServices(busApp, catalogue.services.map((s) => s.code));
    return c.json(await replaceCatalogue(deps.engine, catalogue, busApp.services, seconds()));
  });

  app.all('*', () => {
    throw new JsonError(404, 'not a bus resource (see the README: GET messages, POST ack, POST nack, …)');
  });
  app.onError((err, c) => {
    if (err instanceof JsonError) {
      c.set('refusal', err.problems.length ? `${err.message}: ${err.problems.join('; ')}` : err.message);
      return c.json(err.body(), err.status);
    }
    if (isStoreFull(err)) return storeFullAnswer(c, deps.logger);
    return unexpectedError(deps.logger, c, err) ?? c.json({ error: { code: 500, message: 'internal error' } }, 500);
  });
  return app;
}
