import type { Queryable } from '../db/engine.ts';
import { createCatalogueStore } from '../catalogue/catalogue.store.ts';
import { createApiClientsStore, parseScopes, SCOPES, type Scope } from '../keys/api-clients.store.ts';
import { formatDatetime } from '../georeport/datetime.ts';

export class UsageError extends Error {}

/** `--scopes report,updates` (default `report`, what a public widget needs). */
function scopes(text: string | undefined): Scope[] {
  const given = parseScopes(text === undefined ? ['report'] : text.split(',').map((s) => s.trim()));
  if (!given) throw new UsageError(`--scopes takes a comma list among ${SCOPES.join(', ')}`);
  return given;
}

/** `georeport keys create|list|scopes|revoke`: prints to `out`, throws UsageError on wrong arguments. */
export async function keysCommand(db: Queryable, args: string[], flags: Record<string, string | undefined>, out: (line: string) => void): Promise<void> {
  const store = createApiClientsStore(db);
  const now = Math.floor(Date.now() / 1000);
  const [action, target] = args;
  if (action === 'create') {
    const name = flags.name;
    if (!name || name === 'true') throw new UsageError('keys create needs --name "who uses this key"');
    const jurisdiction = flags.jurisdiction ?? null;
    if (jurisdiction !== null && !(await createCatalogueStore(db).jurisdiction(jurisdiction))) {
      throw new UsageError(`no jurisdiction ${jurisdiction} on this server`);
    }
    const rate = flags['rate-limit'] === undefined ? null : Number(flags['rate-limit']);
    if (rate !== null && !(Number.isInteger(rate) && rate > 0)) throw new UsageError('--rate-limit must be a positive integer (POSTs per minute)');
    const { client, key } = await store.create({ name, jurisdictionId: jurisdiction, rateLimitPerMinute: rate, scopes: scopes(flags.scopes), now, actor: 'cli' });
    out(`created API client ${client.id} (${client.name}) for ${client.jurisdictionId ?? 'every jurisdiction'}, scopes ${client.scopes.join(',')}`);
    out(`api_key: ${key}`);
    out(client.scopes.includes('updates')
      ? 'Keep it now and keep it secret: it is stored hashed and cannot be shown again, and it can close requests.'
      : 'Keep it now: it is stored hashed and cannot be shown again.');
    return;
  }
  if (action === 'list') {
    out('id\tprefix\tjurisdiction\tscopes\trate/min\tcreated\trevoked\tname');
    for (const c of await store.list()) {
      out([c.id, `${c.keyPrefix}…`, c.jurisdictionId ?? '*', c.scopes.join(','), c.rateLimitPerMinute ?? 'default', formatDatetime(c.createdAt),
        c.revokedAt === null ? '-' : formatDatetime(c.revokedAt), c.name].join('\t'));
    }
    return;
  }
  if (action === 'scopes') {
    const id = Number(target);
    const given = args[2];
    if (!Number.isInteger(id) || id <= 0 || given === undefined) throw new UsageError('keys scopes needs the client id and the scopes (keys scopes 3 report,updates)');
    const client = await store.setScopes(id, scopes(given), now, 'cli');
    if (!client) throw new UsageError(`no active API client ${id}`);
    out(`API client ${id} (${client.name}) now has scopes ${client.scopes.join(',')}`);
    return;
  }
  if (action === 'revoke') {
    const id = Number(target);
    if (!Number.isInteger(id) || id <= 0) throw new UsageError('keys revoke needs the client id (see keys list)');
    const client = await store.revoke(id, now, 'cli');
    if (!client) throw new UsageError(`no active API client ${id}`);
    out(`revoked API client ${id} (${client.name})`);
    return;
  }
  throw new UsageError('keys takes create, list, scopes or revoke');
}
