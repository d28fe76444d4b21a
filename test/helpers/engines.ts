import { after } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Engine } from '../../server/db/engine.ts';
import { openEngine } from '../../server/db/open-engine.ts';
import { startPostgres, type PostgresCluster } from './postgres.ts';

/** One engine the contract tests run on: `open` gives a fresh, migrated, empty store each call. */
export interface EngineUnderTest {
  name: 'sqlite' | 'postgres';
  open(): Promise<Engine>;
}

let cluster: Promise<PostgresCluster> | undefined;

/**
 * Both engines, each opening real stores: a SQLite file in a temp folder, or a database of its own in
 * a private PostgreSQL cluster started on first use and stopped when the test file ends. Every engine
 * opened is closed then too.
 */
export function enginesUnderTest(): EngineUnderTest[] {
  const opened: Engine[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'georeport-engine-'));
  let files = 0;
  after(async () => {
    await Promise.all(opened.map((e) => e.close()));
    rmSync(dir, { recursive: true, force: true });
    if (cluster) await (await cluster).stop();
  });
  const keep = (engine: Engine) => (opened.push(engine), engine);
  return [
    { name: 'sqlite', open: async () => keep(await openEngine({ dbFile: join(dir, `store-${++files}.db`) })) },
    {
      name: 'postgres',
      async open() {
        cluster ??= startPostgres();
        const url = await (await cluster).createDatabase({ migrated: true });
        return keep(await openEngine({ databaseUrl: url, dbFile: '' }));
      },
    },
  ];
}
