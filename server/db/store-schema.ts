import type { Queryable } from './engine.ts';

/** What copying a table needs to know of it, read from the engine's own catalogue. */
export interface TableShape {
  name: string;
  /** Columns written by georeport, in the table's order: generated ones (cells, `geom`, `search`) left out. */
  columns: string[];
  /** The primary key's columns, in key order; empty for a table without one (`login_failures`). */
  key: string[];
  /** Tables this one refers to (by foreign key), itself excepted. */
  parents: string[];
  /** Columns referring to the table itself (`requests.duplicate_of`): filled once every row is in. */
  selfRefs: string[];
  /** PostgreSQL: the identity column whose sequence must be moved past the ids copied. */
  identity?: string;
}

/**
 * The tables of a georeport store, without what each engine derives or keeps for itself: SQLite's
 * R*Tree and FTS5 tables (virtual, with their shadow tables) and `sqlite_*`; PostgreSQL's
 * `schema_migrations` (the version is compared, not copied), its unlogged tables (the shared rate-limit
 * counters: what a crash may lose is not the store's data) and the extensions' tables (PostGIS's
 * `spatial_ref_sys`). Sorted by name.
 */
export async function describeStore(db: Queryable): Promise<TableShape[]> {
  return db.kind === 'sqlite' ? describeSqlite(db) : describePostgres(db);
}

async function describeSqlite(db: Queryable): Promise<TableShape[]> {
  const tables = await db.query<{ name: string }>(
    "SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name",
  );
  const shapes: TableShape[] = [];
  for (const { name } of tables) {
    // hidden: 0 a plain column, 2 and 3 generated (virtual, stored).
    const columns = await db.query<{ name: string; hidden: number; pk: number }>(
      'SELECT name, hidden, pk FROM pragma_table_xinfo(?) ORDER BY cid',
      [name],
    );
    const fks = await db.query<{ table: string; from: string }>('SELECT "table", "from" FROM pragma_foreign_key_list(?)', [name]);
    shapes.push({
      name,
      columns: columns.filter((c) => c.hidden === 0).map((c) => c.name),
      key: columns.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => c.name),
      ...references(name, fks.map((f) => ({ parent: f.table, column: f.from }))),
    });
  }
  return shapes;
}

async function describePostgres(db: Queryable): Promise<TableShape[]> {
  const tables = await db.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c
     WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p') AND c.relpersistence = 'p'
       AND c.relname <> 'schema_migrations'
       AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
     ORDER BY c.relname COLLATE "C"`,
  );
  const shapes: TableShape[] = [];
  for (const { name } of tables) {
    const columns = await db.query<{ name: string; generated: string; identity: string }>(
      `SELECT column_name AS name, is_generated AS generated, is_identity AS identity FROM information_schema.columns
       WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position`,
      [name],
    );
    const key = await db.query<{ name: string }>(
      `SELECT a.attname AS name FROM pg_index i
       CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, n)
       JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
       WHERE i.indrelid = CAST(? AS regclass) AND i.indisprimary ORDER BY k.n`,
      [name],
    );
    const fks = await db.query<{ parent: string; column: string }>(
      `SELECT p.relname AS parent, a.attname AS "column" FROM pg_constraint f
       JOIN pg_class p ON p.oid = f.confrelid
       JOIN pg_attribute a ON a.attrelid = f.conrelid AND a.attnum = f.conkey[1]
       WHERE f.contype = 'f' AND f.conrelid = CAST(? AS regclass)`,
      [name],
    );
    shapes.push({
      name,
      columns: columns.filter((c) => c.generated === 'NEVER').map((c) => c.name),
      key: key.map((k) => k.name),
      ...references(name, fks),
      identity: columns.find((c) => c.identity === 'YES')?.name,
    });
  }
  return shapes;
}

function references(table: string, fks: { parent: string; column: string }[]): Pick<TableShape, 'parents' | 'selfRefs'> {
  return {
    parents: [...new Set(fks.filter((f) => f.parent !== table).map((f) => f.parent))].sort(),
    selfRefs: fks.filter((f) => f.parent === table).map((f) => f.column),
  };
}

/** The tables in an order where each comes after those it refers to (ties by name). */
export function parentsFirst(tables: TableShape[]): TableShape[] {
  const byName = new Map(tables.map((t) => [t.name, t]));
  const done = new Set<string>();
  const order: TableShape[] = [];
  const visit = (t: TableShape, path: string[]) => {
    if (done.has(t.name)) return;
    if (path.includes(t.name)) throw new Error(`tables refer to each other in a cycle: ${[...path, t.name].join(' → ')}`);
    for (const parent of t.parents) {
      const p = byName.get(parent);
      if (p) visit(p, [...path, t.name]);
    }
    done.add(t.name);
    order.push(t);
  };
  for (const t of tables) visit(t, []);
  return order;
}

/** The schema version: SQLite's `user_version`, PostgreSQL's highest `schema_migrations` row (0: never migrated). */
export async function storeVersion(db: Queryable): Promise<number> {
  if (db.kind === 'sqlite') return (await db.one<{ user_version: number }>('PRAGMA user_version'))!.user_version;
  const table = await db.one<{ present: number }>("SELECT to_regclass('schema_migrations') IS NOT NULL AS present");
  if (!table?.present) return 0;
  return (await db.one<{ version: number }>('SELECT coalesce(max(version), 0) AS version FROM schema_migrations'))!.version;
}
