import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { openDatabase } from '../../server/db/database.ts';
import { migrate, MigrationError, schemaVersion } from '../../server/db/migrate.ts';
import { migrations } from '../../server/db/migrations/index.ts';
import { createSqliteEngine } from '../../server/db/sqlite-engine.ts';
import { createApiClientsStore } from '../../server/keys/api-clients.store.ts';

const withDir = async (fn: (dir: string) => void | Promise<void>) => {
  const dir = mkdtempSync(join(tmpdir(), 'georeport-store-'));
  try {
    await fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

test('a new store file is created with WAL, foreign keys and every migration applied', async () => {
  await withDir((dir) => {
    const db = openDatabase(join(dir, 'sub', 'georeport.db'));
    assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
    assert.equal(db.pragma('foreign_keys', { simple: true }), 1);
    assert.equal(schemaVersion(db), migrations.length);
    assert.deepEqual(migrate(db), [], 'running again applies nothing');
    db.close();
  });
});

test('tables are STRICT: a value of the wrong type is refused', () => {
  const db = openDatabase(':memory:');
  db.prepare("INSERT INTO jurisdictions (id, name, created_at) VALUES ('x.example', 'X', 0)").run();
  assert.throws(() => db.prepare("INSERT INTO jurisdictions (id, name, created_at) VALUES ('y.example', 'Y', 'yesterday')").run(), /cannot store TEXT value in INTEGER column/);
});

test('a store written by a newer georeport is refused with a clear message, and left untouched', async () => {
  await withDir((dir) => {
    const file = join(dir, 'future.db');
    const db = openDatabase(file);
    db.pragma(`user_version = ${migrations.length + 5}`);
    db.close();
    assert.throws(() => openDatabase(file), (e: unknown) => e instanceof MigrationError && /newer than this georeport/.test(e.message));
  });
});

test('API keys are stored hashed: the key itself is nowhere in the database file', async () => {
  await withDir(async (dir) => {
    const file = join(dir, 'keys.db');
    const db = openDatabase(file);
    const { key } = await createApiClientsStore(createSqliteEngine(db)).create({ name: 'site', jurisdictionId: null, rateLimitPerMinute: null, scopes: ['report'], now: 0, actor: 'test' });
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    assert.ok(!readFileSync(file).includes(Buffer.from(key)), 'plain key in the file');
    assert.ok(key.length >= 30);
  });
});

test('creating and revoking a key is written to the audit log', async () => {
  const engine = createSqliteEngine(openDatabase(':memory:'));
  const store = createApiClientsStore(engine);
  const { client } = await store.create({ name: 'site', jurisdictionId: null, rateLimitPerMinute: 5, scopes: ['report'], now: 10, actor: 'cli' });
  assert.ok(await store.revoke(client.id, 20, 'cli'));
  assert.equal(await store.revoke(client.id, 30, 'cli'), undefined, 'revoking twice finds nothing to revoke');
  assert.deepEqual(await engine.query('SELECT at, actor, action FROM audit_log ORDER BY id'), [
    { at: 10, actor: 'cli', action: 'api_client.create' },
    { at: 20, actor: 'cli', action: 'api_client.revoke' },
  ]);
});
