import type { Queryable, SqlValue } from './engine.ts';
import { migrations } from './migrations/index.ts';
import { describeStore, parentsFirst, storeVersion, type TableShape } from './store-schema.ts';

/** A copy refused before anything was written (the CLI exits 2 with its message). */
export class CopyRefused extends Error {}

export interface CopyOptions {
  /** Rows read and written per statement (default 1,000; fewer when a table has many columns). */
  batch?: number;
  /** Told after each table is copied. */
  progress?: (table: string, rows: number) => void;
}

export interface CopyReport {
  /** Rows copied per table, in the order they were copied. */
  tables: { name: string; rows: number }[];
}

/** Tables a migration fills (the cache counters): replaced by the source's rows, not a sign of an used store. */
const SEEDED = new Set(['cache_versions']);
/** Bound values per statement: under SQLite's 32,766 and PostgreSQL's 65,535. */
const MAX_PARAMS = 30_000;

/**
 * Copies a whole georeport store into an empty one, of the same engine or the other, ids preserved:
 * every table, in an order where each row's references exist before it, read in batches in the order
 * of its primary key (bounded memory: a 100,000-request store is never held whole).
 *
 * - Both stores must be at this georeport's schema version, and the target must hold nothing (its
 *   migrations' own counters excepted): refused with `CopyRefused` otherwise, before any write.
 * - The source is read in one transaction (a consistent snapshot; on SQLite it also holds writers off).
 * - The target is written in one transaction: a failed copy leaves it as empty as it was.
 * - Derived state is copied, not re-derived: the target's triggers are off during the copy (SQLite:
 *   dropped and created again from their own text before commit; PostgreSQL: `DISABLE TRIGGER USER`,
 *   which the tables' owner may do, enabled again before commit), so no outbox message, notification,
 *   daily count, follower count or cache version is added for a copied row. What each engine keeps
 *   outside the tables is rebuilt: SQLite's R*Tree and FTS5 index from the copied requests; PostgreSQL's
 *   `geom` and `search` are generated columns, computed as rows arrive, and each identity sequence is
 *   moved past the largest id copied.
 * - Photos are files in the media folder, not in the store: they move with that folder.
 */
export async function copyStore(source: Queryable, target: Queryable, options: CopyOptions = {}): Promise<CopyReport> {
  await checkVersions(source, target);
  const [from, to] = await Promise.all([describeStore(source), describeStore(target)]);
  const shapes = matchSchemas(from, to);
  return source.transaction(async (src) => {
    if (src.kind === 'postgres') await src.run('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
    return target.transaction(async (dst) => {
      await refuseUnlessEmpty(dst, shapes);
      const restore = await triggersOff(dst, shapes);
      const tables: CopyReport['tables'] = [];
      for (const shape of shapes) {
        if (SEEDED.has(shape.name)) await dst.run(`DELETE FROM ${shape.name}`);
        const rows = await copyTable(src, dst, shape, options.batch ?? 1000);
        tables.push({ name: shape.name, rows });
        options.progress?.(shape.name, rows);
      }
      await restore();
      await rebuildDerived(dst, shapes);
      return { tables };
    });
  });
}

async function checkVersions(source: Queryable, target: Queryable): Promise<void> {
  const latest = migrations.length;
  const [s, t] = await Promise.all([storeVersion(source), storeVersion(target)]);
  const say = (which: string, v: number) =>
    v > latest
      ? `the ${which} is at schema version ${v}, newer than this georeport (${latest}): upgrade georeport`
      : `the ${which} is at schema version ${v}, this georeport at ${latest}: run georeport migrate on it first`;
  if (s !== latest) throw new CopyRefused(say('source', s));
  if (t !== latest) throw new CopyRefused(say('target', t));
}

/** The source's tables in copy order, once the target is known to have each with the same columns. */
function matchSchemas(from: TableShape[], to: TableShape[]): TableShape[] {
  const targets = new Map(to.map((t) => [t.name, t]));
  const differences: string[] = [];
  for (const t of from) {
    const other = targets.get(t.name);
    if (!other) differences.push(`${t.name} is missing from the target`);
    else if ([...t.columns].sort().join() !== [...other.columns].sort().join()) {
      differences.push(`${t.name} has columns ${t.columns.join(', ')} in the source and ${other.columns.join(', ')} in the target`);
    }
    targets.delete(t.name);
  }
  for (const name of targets.keys()) differences.push(`${name} is missing from the source`);
  if (differences.length) throw new CopyRefused(`the two stores' schemas differ: ${differences.join('; ')}`);
  const identities = new Map(to.map((t) => [t.name, t.identity]));
  return parentsFirst(from).map((t) => ({ ...t, identity: identities.get(t.name) }));
}

async function refuseUnlessEmpty(dst: Queryable, shapes: TableShape[]): Promise<void> {
  const used: string[] = [];
  for (const { name } of shapes) {
    if (!SEEDED.has(name) && (await dst.one(`SELECT 1 AS used FROM ${name} LIMIT 1`))) used.push(name);
  }
  if (used.length === 0) return;
  const count = async (table: string) => (await dst.one<{ n: number }>(`SELECT count(*) AS n FROM ${table}`))!.n;
  const [towns, requests] = [await count('jurisdictions'), await count('requests')];
  throw new CopyRefused(
    `the target is not empty (${towns} town${towns === 1 ? '' : 's'}, ${requests} request${requests === 1 ? '' : 's'}; ` +
      `rows in ${used.join(', ')}): georeport copies into an empty store only, and left it unchanged`,
  );
}

/** Turns the target's triggers off for the copy; the function returned turns them on again. */
async function triggersOff(dst: Queryable, shapes: TableShape[]): Promise<() => Promise<void>> {
  if (dst.kind === 'postgres') {
    for (const { name } of shapes) await dst.run(`ALTER TABLE ${name} DISABLE TRIGGER USER`);
    return async () => {
      for (const { name } of shapes) await dst.run(`ALTER TABLE ${name} ENABLE TRIGGER USER`);
    };
  }
  // SQLite cannot switch a trigger off, but its schema is transactional: each is dropped and made again
  // from the text SQLite kept of it, within the copy's transaction, so no other connection sees it gone.
  const triggers = await dst.query<{ name: string; sql: string }>("SELECT name, sql FROM sqlite_schema WHERE type = 'trigger' ORDER BY name");
  for (const { name } of triggers) await dst.run(`DROP TRIGGER "${name}"`);
  return async () => {
    for (const { sql } of triggers) await dst.run(sql);
  };
}

/** Copies one table in primary-key order, `batch` rows per read and write; returns the rows copied. */
async function copyTable(src: Queryable, dst: Queryable, shape: TableShape, batch: number): Promise<number> {
  const { name, columns, key, selfRefs } = shape;
  const list = columns.map((c) => `"${c}"`).join(', ');
  const per = Math.max(1, Math.min(batch, Math.floor(MAX_PARAMS / columns.length)));
  const keyList = key.map((c) => `"${c}"`).join(', ');
  // A table without a primary key (login_failures: recent failed logins only) is read in one statement.
  const first = `SELECT ${list} FROM ${name}${key.length ? ` ORDER BY ${keyList} LIMIT ${per}` : ''}`;
  const next = `SELECT ${list} FROM ${name} WHERE (${keyList}) > (${key.map(() => '?').join(', ')}) ORDER BY ${keyList} LIMIT ${per}`;
  const insert = (n: number) =>
    `INSERT INTO ${name} (${list}) VALUES ${Array.from({ length: n }, () => `(${columns.map(() => '?').join(', ')})`).join(', ')}`;
  let copied = 0;
  let rows = await src.query<Record<string, unknown>>(first);
  while (rows.length > 0) {
    // A reference to a row of the same table may point forward: written once every row is in.
    const values = rows.flatMap((row) => columns.map((c) => (selfRefs.includes(c) ? null : (row[c] as SqlValue))));
    await dst.run(insert(rows.length), values);
    copied += rows.length;
    if (!key.length || rows.length < per) break;
    const last = rows.at(-1)!;
    rows = await src.query(next, key.map((c) => last[c] as SqlValue));
  }
  for (const column of selfRefs) await copyReferences(src, dst, shape, column);
  return copied;
}

/** Writes `column` (a reference to the same table) on every row that has one, a batch at a time. */
async function copyReferences(src: Queryable, dst: Queryable, { name, key }: TableShape, column: string): Promise<void> {
  const id = key[0]!;
  const page = `SELECT "${id}" AS id, "${column}" AS ref FROM ${name} WHERE "${column}" IS NOT NULL AND "${id}" > ? ORDER BY "${id}" LIMIT 1000`;
  let after = -Infinity;
  for (;;) {
    const rows = await src.query<{ id: number; ref: unknown }>(page, [after === -Infinity ? Number.MIN_SAFE_INTEGER : after]);
    for (const row of rows) await dst.run(`UPDATE ${name} SET "${column}" = ? WHERE "${id}" = ?`, [row.ref as SqlValue, row.id]);
    if (rows.length < 1000) return;
    after = rows.at(-1)!.id;
  }
}

/** What each engine keeps beside the tables, made true for the rows copied. */
async function rebuildDerived(dst: Queryable, shapes: TableShape[]): Promise<void> {
  if (dst.kind === 'sqlite') {
    // As migration 002 fills them from existing requests.
    await dst.run('INSERT INTO requests_rtree SELECT id, lat, lat, long, long FROM requests WHERE lat IS NOT NULL');
    await dst.run("INSERT INTO requests_fts (requests_fts) VALUES ('rebuild')");
    return;
  }
  // A message's transaction (the bus history's cursor, pg-migrations/014) means nothing in another
  // cluster, where it might lie ahead of every transaction for long: copied messages are settled ones.
  await dst.run('UPDATE bus_messages SET txid = 0');
  for (const { name, identity } of shapes) {
    if (!identity) continue;
    await dst.run(
      `SELECT setval(pg_get_serial_sequence('${name}', '${identity}'), coalesce(max("${identity}"), 0) + 1, false) FROM ${name}`,
    );
  }
}
