import { Hono } from 'hono';
import { BUS_EVENTS, type BusAppsStore, type BusEvent } from '../bus/bus-apps.store.ts';
import { hashPassword, MIN_PASSWORD } from './passwords.ts';
import { ROLES, type Role, type StaffStore } from './staff.store.ts';
import type { OutboxStore } from '../bus/outbox.store.ts';
import { formatDatetime } from '../georeport/datetime.ts';
import { readJson } from '../http/json-body.ts';
import { JsonError } from '../http/json-error.ts';
import { OutboundRefused, type Outbound } from '../http/outbound.ts';
import { isEmailAddress } from '../shared/checks.ts';
import { parseScopes, SCOPES, type ApiClientsStore, type Scope } from '../keys/api-clients.store.ts';
import type { AuditLog } from './audit-log.ts';
import { TOWN_PATH, type AdminAccess, type AdminEnv } from './access.ts';

export interface IntegrationsDeps {
  apiClients: ApiClientsStore;
  staff: StaffStore;
  busApps: BusAppsStore;
  outbox: OutboxStore;
  /** Checks a webhook URL when it is given: the server calls only public addresses and allowed hosts. */
  outbound: Outbound;
  audit: AuditLog;
  access: AdminAccess;
  now: () => number;
}

const J = TOWN_PATH;

/** A key's scopes as the body gives them, or 400. */
function scopesOf(given: unknown): Scope[] {
  const scopes = parseScopes(given);
  if (!scopes) throw new JsonError(400, `scopes must be a non-empty list among ${SCOPES.join(', ')}`);
  return scopes;
}

/**
 * What an administrator looks after (`administrator` role): the jurisdiction's API keys (create, with
 * their scopes and an optional rate limit; change their scopes; revoke), its bus apps (create, revoke; their health: last poll, backlog, dead letters),
 * its staff (add someone, or give an existing account a role here), and the audit log.
 */
export function createIntegrationsRoutes(deps: IntegrationsDeps) {
  const { role } = deps.access;
  const app = new Hono<AdminEnv>();
  const seconds = () => Math.floor(deps.now() / 1000);
  const actor = (staffId: number) => `staff:${staffId}`;
  const when = (s: number | null) => (s === null ? null : formatDatetime(s));

  app.get(`${J}/keys`, role('administrator'), async (c) => c.json({
    keys: (await deps.apiClients.list()).filter((k) => k.jurisdictionId === c.req.param('jurisdiction')).map((k) => ({
      id: String(k.id), name: k.name, prefix: k.keyPrefix, scopes: k.scopes, rate_limit_per_minute: k.rateLimitPerMinute, created: when(k.createdAt), revoked: when(k.revokedAt),
    })),
  }));

  app.post(`${J}/keys`, role('administrator'), async (c) => {
    const b = (await readJson(c)) as { name?: unknown; rate_limit_per_minute?: unknown; scopes?: unknown } | null;
    if (typeof b?.name !== 'string' || b.name.trim() === '' || b.name.length > 200) throw new JsonError(400, 'name is required (who uses this key)');
    const rate = b.rate_limit_per_minute ?? null;
    if (rate !== null && !(Number.isInteger(rate) && (rate as number) > 0 && (rate as number) <= 1e6)) throw new JsonError(400, 'rate_limit_per_minute must be a positive whole number');
    const scopes = scopesOf(b.scopes ?? ['report']);
    const { client, key } = await deps.apiClients.create({ name: b.name.trim(), jurisdictionId: c.req.param('jurisdiction'), rateLimitPerMinute: rate as number | null, scopes, now: seconds(), actor: actor(c.get('session').staff.id) });
    return c.json({ id: String(client.id), name: client.name, scopes: client.scopes, api_key: key }, 201);
  });

  app.post(`${J}/keys/:id{[1-9][0-9]{0,14}}/scopes`, role('administrator'), async (c) => {
    const id = Number(c.req.param('id'));
    const b = (await readJson(c)) as { scopes?: unknown } | null;
    const scopes = scopesOf(b?.scopes);
    const key = (await deps.apiClients.list()).find((k) => k.id === id && k.jurisdictionId === c.req.param('jurisdiction'));
    const changed = key && (await deps.apiClients.setScopes(id, scopes, seconds(), actor(c.get('session').staff.id)));
    if (!changed) throw new JsonError(404, `no active key ${id} here`);
    return c.json({ id: String(id), scopes: changed.scopes });
  });

  app.post(`${J}/keys/:id{[1-9][0-9]{0,14}}/revoke`, role('administrator'), async (c) => {
    const id = Number(c.req.param('id'));
    const key = (await deps.apiClients.list()).find((k) => k.id === id && k.jurisdictionId === c.req.param('jurisdiction'));
    if (!key || !(await deps.apiClients.revoke(id, seconds(), actor(c.get('session').staff.id)))) throw new JsonError(404, `no active key ${id} here`);
    return c.body(null, 204);
  });

  app.get(`${J}/bus`, role('administrator'), async (c) => c.json({
    apps: await Promise.all((await deps.busApps.list()).filter((a) => a.jurisdictionId === c.req.param('jurisdiction')).map(async (a) => ({
      id: String(a.id), name: a.name, delivery: a.delivery, services: a.services, events: a.events, webhook: a.webhookUrl,
      last_poll: when(a.lastPollAt), revoked: when(a.revokedAt), backlog: await deps.outbox.backlog(a, seconds()),
    }))),
  }));

  app.post(`${J}/bus`, role('administrator'), async (c) => {
    const b = (await readJson(c)) as Record<string, unknown> | null;
    const list = (v: unknown, name: string) => {
      if (v === undefined || v === null) return null;
      if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw new JsonError(400, `${name} must be a list of codes, or null for all`);
      return v as string[];
    };
    if (typeof b?.name !== 'string' || !b.name.trim() || b.name.length > 200) throw new JsonError(400, 'name is required');
    const events = list(b.events, 'events');
    if (events?.some((e) => !(BUS_EVENTS as readonly string[]).includes(e))) throw new JsonError(400, `events are among ${BUS_EVENTS.join(', ')}`);
    const webhook = b.webhook_url ?? null;
    if (webhook !== null && (typeof webhook !== 'string' || !/^https?:\/\/\S+$/.test(webhook))) throw new JsonError(400, 'webhook_url must be an http(s) URL');
    const owner = b.owner_email ?? null;
    if (owner !== null && (typeof owner !== 'string' || !isEmailAddress(owner))) throw new JsonError(400, 'owner_email must be one e-mail address (no list, no name)');
    if (webhook !== null) {
      await deps.outbound.check(webhook).catch((e: unknown) => {
        throw e instanceof OutboundRefused ? new JsonError(400, `webhook_url: ${e.message}`) : e;
      });
    }
    const { app: created, secret } = await deps.busApps.create({
      jurisdictionId: c.req.param('jurisdiction'), name: b.name.trim(), services: list(b.services, 'services'), events: events as BusEvent[] | null,
      delivery: b.deferred === true ? 'deferred' : 'immediate', maxAttempts: 10, webhookUrl: webhook as string | null,
      ownerEmail: owner, alertWebhook: null, now: seconds(), actor: actor(c.get('session').staff.id),
    });
    return c.json({ id: String(created.id), name: created.name, secret, webhook_secret: created.webhookSecret }, 201);
  });

  app.post(`${J}/bus/:id{[1-9][0-9]{0,14}}/revoke`, role('administrator'), async (c) => {
    const id = Number(c.req.param('id'));
    const found = await deps.busApps.get(id);
    if (!found || found.jurisdictionId !== c.req.param('jurisdiction') || !(await deps.busApps.revoke(id, seconds(), actor(c.get('session').staff.id)))) throw new JsonError(404, `no active bus app ${id} here`);
    return c.body(null, 204);
  });

  app.get(`${J}/staff`, role('administrator'), async (c) => c.json({ staff: (await deps.staff.ofJurisdiction(c.req.param('jurisdiction'))).map((s) => ({ ...s, id: String(s.id) })) }));

  app.post(`${J}/staff`, role('administrator'), async (c) => {
    const b = (await readJson(c)) as Record<string, unknown> | null;
    const problems = [
      ...(typeof b?.email === 'string' && isEmailAddress(b.email) ? [] : ['email must be an e-mail address']),
      ...(typeof b?.name === 'string' && b.name.trim() && b.name.length <= 200 ? [] : ['name is required']),
      ...((ROLES as readonly unknown[]).includes(b?.role) ? [] : [`role must be one of ${ROLES.join(', ')}`]),
      ...(typeof b?.password === 'string' && [...b.password].length >= MIN_PASSWORD && b.password.length <= 1000 ? [] : [`password must have at least ${MIN_PASSWORD} characters`]),
    ];
    if (problems.length) throw new JsonError(400, 'invalid staff member', problems);
    const jurisdiction = c.req.param('jurisdiction');
    const existing = await deps.staff.credentials(String(b!.email));
    const id = existing ? existing.id : await deps.staff.create({ email: String(b!.email).toLowerCase(), name: String(b!.name).trim(), passwordHash: await hashPassword(String(b!.password)), roles: [], now: seconds() });
    await deps.staff.setRole(id, jurisdiction, b!.role as Role);
    await deps.audit.record({ jurisdictionId: jurisdiction, actor: actor(c.get('session').staff.id), action: existing ? 'staff.role' : 'staff.create', target: `staff:${id}`, detail: { role: b!.role } });
    return c.json({ id: String(id), existing: !!existing }, existing ? 200 : 201);
  });

  app.post(`${J}/staff/:id{[1-9][0-9]{0,14}}/remove`, role('administrator'), async (c) => {
    const id = Number(c.req.param('id'));
    const session = c.get('session');
    if (id === session.staff.id) throw new JsonError(400, 'you cannot take away your own role (another administrator can)');
    if (!(await deps.staff.removeRole(id, c.req.param('jurisdiction')))) throw new JsonError(404, `staff ${id} has no role here`);
    await deps.audit.record({ jurisdictionId: c.req.param('jurisdiction'), actor: actor(session.staff.id), action: 'staff.remove', target: `staff:${id}` });
    return c.body(null, 204);
  });

  app.get(`${J}/audit`, role('administrator'), async (c) => {
    const before = Number(c.req.query('before') ?? Number.MAX_SAFE_INTEGER);
    if (!Number.isSafeInteger(before) || before < 1) throw new JsonError(400, 'before must be an entry id');
    return c.json({ entries: await deps.audit.list(c.req.param('jurisdiction'), { actor: c.req.query('actor') || null, action: c.req.query('action') || null }, before, 100) });
  });
  return app;
}
