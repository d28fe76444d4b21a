import { createBusAppsStore, BUS_EVENTS, type BusEvent } from '../bus/bus-apps.store.ts';
import { createBusAuditStore } from '../bus/audit.store.ts';
import { createOutboxStore } from '../bus/outbox.store.ts';
import { createCatalogueStore } from '../catalogue/catalogue.store.ts';
import type { Queryable } from '../db/engine.ts';
import { formatDatetime } from '../georeport/datetime.ts';
import { OutboundRefused, type Outbound } from '../http/outbound.ts';
import { isEmailAddress } from '../shared/checks.ts';
import { UsageError } from './keys.ts';

/** The flags `georeport bus …` reads. */
export const BUS_FLAGS = ['services', 'events', 'deferred', 'max-attempts', 'webhook', 'owner-email', 'alert-webhook', 'app'];

const list = (text: string | undefined) => (text === undefined || text === 'true' ? null : text.split(',').map((s) => s.trim()).filter(Boolean));
/** A URL the server may call (public, or its host allowed), else a usage error saying why. */
const target = async (outbound: Outbound, text: string | undefined, name: string) => {
  if (text === undefined) return null;
  try {
    if (!['http:', 'https:'].includes(new URL(text).protocol)) throw new TypeError();
  } catch {
    throw new UsageError(`--${name} must be an http(s) URL`);
  }
  await outbound.check(text).catch((e: unknown) => {
    throw e instanceof OutboundRefused ? new UsageError(`--${name}: ${e.message}`) : e;
  });
  return text;
};

function appId(flags: Record<string, string | undefined>): number {
  const id = Number(flags.app);
  if (!Number.isInteger(id) || id <= 0) throw new UsageError('--app ID is required (see bus apps list)');
  return id;
}

/**
 * `georeport bus apps create|list|revoke`, `bus dead-letters --app ID`, `bus replay --app ID MSG…`,
 * `bus audit [--app ID]`: the CRM's bus applications and their messages, from the shell. `outbound`
 * checks the webhooks an app is created with.
 */
export async function busCommand(
  engine: Queryable, args: string[], flags: Record<string, string | undefined>, server: { publicUrl: string; outbound: Outbound }, out: (line: string) => void,
): Promise<void> {
  const { publicUrl } = server;
  const apps = createBusAppsStore(engine);
  const now = Math.floor(Date.now() / 1000);
  const [group, action, ...rest] = args;
  if (group === 'apps' && action === 'create') {
    const { name, jurisdiction } = flags;
    if (!name || name === 'true') throw new UsageError('bus apps create needs --name "the CRM"');
    if (!jurisdiction || !(await createCatalogueStore(engine).jurisdiction(jurisdiction))) throw new UsageError('bus apps create needs --jurisdiction, one served here');
    const events = list(flags.events);
    const wrong = events?.find((e) => !(BUS_EVENTS as readonly string[]).includes(e));
    if (wrong) throw new UsageError(`--events takes ${BUS_EVENTS.join(', ')} (got ${wrong})`);
    const maxAttempts = flags['max-attempts'] === undefined ? 10 : Number(flags['max-attempts']);
    if (!Number.isInteger(maxAttempts) || maxAttempts < 1 || maxAttempts > 1000) throw new UsageError('--max-attempts must be a whole number from 1 to 1000');
    const owner = flags['owner-email'] ?? null;
    if (owner !== null && !isEmailAddress(owner)) throw new UsageError('--owner-email must be one e-mail address (no list, no name)');
    const webhookUrl = await target(server.outbound, flags.webhook, 'webhook');
    const alertWebhook = await target(server.outbound, flags['alert-webhook'], 'alert-webhook');
    const { app, secret } = await apps.create({
      jurisdictionId: jurisdiction, name, services: list(flags.services), events: events as BusEvent[] | null,
      delivery: flags.deferred ? 'deferred' : 'immediate', maxAttempts, webhookUrl, ownerEmail: owner, alertWebhook, now, actor: 'cli',
    });
    out(`created bus app ${app.id} (${app.name}) for ${app.jurisdictionId}, ${app.delivery} delivery`);
    out(`secret: ${secret}`);
    if (app.webhookSecret) out(`webhook signing secret: ${app.webhookSecret} (messages are pushed to ${app.webhookUrl}, signed with it)`);
    out('Keep it now: it is stored hashed and cannot be shown again.');
    out(`The CRM calls ${new URL('bus/v1/', publicUrl).href} with Authorization: Bearer <secret>.`);
    return;
  }
  if (group === 'apps' && action === 'list') {
    const outbox = createOutboxStore(engine, '');
    out('id\tjurisdiction\tdelivery\tlast poll\tpending\tleased\tdead\tname');
    for (const a of await apps.list()) {
      const b = await outbox.backlog(a, now);
      out([a.id, a.jurisdictionId, a.revokedAt === null ? a.delivery : 'revoked', a.lastPollAt === null ? 'never' : formatDatetime(a.lastPollAt),
        b.pending, b.leased, b.dead, a.name].join('\t'));
    }
    return;
  }
  if (group === 'apps' && action === 'revoke') {
    const id = Number(rest[0]);
    if (!Number.isInteger(id) || id <= 0) throw new UsageError('bus apps revoke needs the app id');
    const app = await apps.revoke(id, now, 'cli');
    if (!app) throw new UsageError(`no active bus app ${id}`);
    out(`revoked bus app ${id} (${app.name})`);
    return;
  }
  if (group === 'dead-letters') {
    for (const m of await createOutboxStore(engine, '').deadLetters(appId(flags), 0, 1000, now)) {
      out([m.id, m.type, `request ${m.request?.service_request_id ?? '?'}`, `${m.attempt} attempts`, m.last_error ?? ''].join('\t'));
    }
    return;
  }
  if (group === 'replay') {
    const ids = [action, ...rest].filter(Boolean).map(Number);
    if (ids.length === 0 || ids.some((id) => !Number.isInteger(id) || id <= 0)) throw new UsageError('bus replay --app ID MESSAGE_ID…');
    const replayed = await createOutboxStore(engine, '').replay(appId(flags), ids, now);
    out(`replayed ${replayed.length} message(s): ${replayed.join(' ') || 'none was dead'}`);
    return;
  }
  if (group === 'audit') {
    const filter = flags.app === undefined ? { appId: null } : { appId: appId(flags) };
    for (const e of await createBusAuditStore(engine).list(filter, 0, 200)) {
      out([e.at, e.app_id ?? '-', e.direction, e.method, e.endpoint, e.status, `${e.duration_ms.toFixed(1)} ms`, e.ids.join(','), e.detail ?? ''].join('\t'));
    }
    return;
  }
  throw new UsageError('bus takes apps create|list|revoke, dead-letters --app ID, replay --app ID MESSAGE_ID…, audit [--app ID]');
}
