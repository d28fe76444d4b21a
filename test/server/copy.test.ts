/**
 * Moving a town between engines (`georeport copy`, server/db/copy.ts): a store filled through the real
 * app is copied to PostgreSQL and back to a new SQLite file, and every table must read the same, row by
 * row, with what each engine derives (R*Tree, FTS5, `geom`, `search`, sequences, triggers) working after.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { copyStore, CopyRefused } from '../../server/db/copy.ts';
import type { Engine, Queryable } from '../../server/db/engine.ts';
import { migrations } from '../../server/db/migrations/index.ts';
import { openEngine } from '../../server/db/open-engine.ts';
import { describeStore, storeVersion } from '../../server/db/store-schema.ts';
import { admin, createStaff, login } from '../helpers/admin.ts';
import { BASE, createTestApp, type TestApp } from '../helpers/app.ts';
import { ack, busApp, lease } from '../helpers/bus.ts';
import { confirmEmail, file, pothole } from '../helpers/georeport.ts';
import { startPostgres, type PostgresCluster } from '../helpers/postgres.ts';
import { runCli, tempDir } from '../helpers/server-process.ts';

const J = 'j/ville.example';
const PHOTO = readFileSync(new URL('../fixtures/photos/gps-tours.jpg', import.meta.url));

/** A multipart filing with one photo, as the widget sends it. */
async function fileWithPhoto(t: TestApp): Promise<string> {
  const boundary = 'copyTestBoundary';
  const fields = { api_key: t.key, service_code: 'tag-graffiti', description: 'Tag sur le mur de l’école', email: 'photo@exemple.fr' };
  const parts = Object.entries(fields).map(([k, v]) => Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  const photo = [Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="media"; filename="p.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`), PHOTO, Buffer.from('\r\n')];
  const body = Buffer.concat([...parts, ...photo, Buffer.from(`--${boundary}--\r\n`)]);
  const res = await t.app.request(`${BASE}requests.json`, { method: 'POST', body, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } });
  assert.equal(res.status, 200, await res.clone().text());
  return ((await res.json()) as { service_request_id: string }[])[0]!.service_request_id;
}

/** The demo city with a bit of everything a town accumulates: filings, photos, followers, staff work, the bus. */
async function fillTown(): Promise<TestApp> {
  const t = await createTestApp();
  const app = await busApp(t, { name: 'GRC' });
  await busApp(t, { name: 'Voirie', events: ['created'] });
  const first = await file(t, pothole(t, { email: 'ana@exemple.fr', first_name: 'Ana', 'attribute[taille]': 'grand' }));
  const pictured = await fileWithPhoto(t);
  const older = await file(t, pothole(t, { description: 'Le même trou, signalé avant', lat: '47.3901', long: '0.6801' }));
  const newer = await file(t, pothole(t, { description: 'Nid-de-poule rue Nationale', lat: '47.3902', long: '0.6802' }));
  // "Me too" from two devices, one asking for e-mails (confirmed), so a status change owes a notification.
  await t.post(`requests/${first}/followers.json`, { api_key: t.key, device_id: 'device-a', email: 'voisin@exemple.fr', email_updates: 'true', locale: 'fr' });
  await t.post(`requests/${first}/followers.json`, { api_key: t.key, device_id: 'device-b' });
  await confirmEmail(t, 'voisin@exemple.fr');
  const agent = await createStaff(t, 'agent@ville.example', { 'ville.example': 'administrator' });
  const s = await login(t, 'agent@ville.example');
  assert.equal((await admin(t, s, 'POST', `${J}/requests/${first}/status`, { detailed_status: 'in_progress', note: 'Équipe prévue' })).status, 200);
  assert.equal((await admin(t, s, 'PUT', `${J}/requests/${first}/assignee`, { staff_id: agent })).status, 200);
  // Merged into a request filed after it: its duplicate_of points forward, to a higher id.
  assert.equal((await admin(t, s, 'POST', `${J}/requests/${older}/merge`, { into: Number(newer) })).status, 200);
  const update = await t.post('servicerequestupdates.json', {
    api_key: t.updatesKey, updated_datetime: '2026-06-01T12:00:00Z', service_request_id: pictured, update_id: 'crm-1', status: 'CLOSED', description: 'Effacé',
  });
  assert.equal(update.status, 200, await update.text());
  const messages = await lease(t, app.secret);
  assert.ok(messages.length > 0);
  await ack(t, app.secret, [messages[0]!.id]);
  t.clock.ms += 3_600_000;
  return t;
}

/** Every table of a store, each row with every written column (and requests' grid cells), in key order. */
async function dump(db: Queryable): Promise<Record<string, unknown[]>> {
  const tables: Record<string, unknown[]> = {};
  for (const shape of await describeStore(db)) {
    const columns = [...shape.columns].sort();
    if (shape.name === 'requests') columns.push('cell_fine', 'cell_coarse');
    const order = (shape.key.length ? shape.key : shape.columns).map((c) => `"${c}"`).join(', ');
    tables[shape.name] = await db.query(`SELECT ${columns.map((c) => `"${c}"`).join(', ')} FROM ${shape.name} ORDER BY ${order}`);
  }
  return tables;
}

describe('copying a store between engines', { timeout: 120_000 }, () => {
  let cluster: PostgresCluster;
  const opened: Engine[] = [];
  const dir = tempDir('georeport-copy-');
  const keep = (e: Engine) => (opened.push(e), e);
  const postgres = async () => keep(await openEngine({ databaseUrl: await cluster.createDatabase({ migrated: true }), dbFile: '' }));
  let files = 0;
  const sqliteFile = () => join(dir.dir, `store-${++files}.db`);
  before(async () => {
    cluster = await startPostgres();
  });
  after(async () => {
    await Promise.all(opened.map((e) => e.close()));
    await cluster?.stop();
    dir.cleanup();
  });

  test('SQLite to PostgreSQL and back: every row of every table the same, ids kept, derived state working', async () => {
    const t = await fillTown();
    const original = await dump(t.engine);
    assert.ok(original.requests!.some((r) => (r as { duplicate_of: number | null }).duplicate_of !== null), 'a merged request');
    for (const table of ['media', 'followers', 'notifications', 'bus_messages', 'staff_sessions', 'response_templates', 'api_clients', 'request_attributes', 'audit_log', 'bus_audit']) {
      assert.ok(original[table]!.length > 0, `the town has rows in ${table}`);
    }

    const pg = await postgres();
    const report = await copyStore(t.engine, pg);
    assert.equal(report.tables.find((x) => x.name === 'requests')!.rows, original.requests!.length);
    assert.deepEqual(await dump(pg), original, 'PostgreSQL holds the same rows');

    // What PostgreSQL derives: points, words, sequences past the ids copied, triggers on again.
    const located = original.requests!.filter((r) => (r as { lat: number | null }).lat !== null).length;
    assert.equal((await pg.one<{ n: number }>('SELECT count(*) AS n FROM requests WHERE geom IS NOT NULL'))!.n, located);
    const word = await pg.query<{ id: number }>("SELECT id FROM requests WHERE search @@ to_tsquery('simple', 'nationale') ORDER BY id");
    const fts = "SELECT rowid AS id FROM requests_fts WHERE requests_fts MATCH 'nationale' ORDER BY rowid";
    assert.ok(word.length > 0);
    assert.deepEqual(word, await t.engine.query(fts), 'the same requests found by a word');
    const next = await pg.run("INSERT INTO audit_log (at, actor, action) VALUES (0, 'copy-probe', 'probe') RETURNING id");
    assert.equal(next.lastId, Math.max(...original.audit_log!.map((r) => (r as { id: number }).id)) + 1);
    const disabled = await pg.one<{ n: number }>("SELECT count(*) AS n FROM pg_trigger WHERE NOT tgisinternal AND tgenabled <> 'O'");
    assert.equal(disabled!.n, 0, 'every trigger enabled again');
    await pg.run("DELETE FROM audit_log WHERE actor = 'copy-probe'");

    const back = keep(await openEngine({ dbFile: sqliteFile() }));
    await copyStore(pg, back);
    assert.deepEqual(await dump(back), original, 'the new SQLite file holds the same rows');

    // What SQLite derives: the R*Tree, the full-text index, and its triggers, all there again.
    assert.equal((await back.one<{ n: number }>('SELECT count(*) AS n FROM requests_rtree'))!.n, located);
    assert.deepEqual(await back.query(fts), word);
    const triggers = "SELECT name, sql FROM sqlite_schema WHERE type = 'trigger' ORDER BY name";
    assert.deepEqual(await back.query(triggers), await t.engine.query(triggers));
    const supporter = (original.requests as { id: number; followers: number }[]).find((r) => r.followers > 0)!;
    await back.run("INSERT INTO followers (request_id, kind, locale, token, created_at) VALUES (?, 'supporter', 'fr', 'new-follower', 0)", [supporter.id]);
    assert.equal((await back.one<{ followers: number }>('SELECT followers FROM requests WHERE id = ?', [supporter.id]))!.followers, supporter.followers + 1, 'the count trigger fires again');
  });

  test('a target holding anything is refused and left as it was', async () => {
    const t = await createTestApp();
    const target = keep(await openEngine({ dbFile: sqliteFile() }));
    const empty = await postgres();
    await copyStore(t.engine, empty);
    const before = await dump(empty);
    await assert.rejects(copyStore(t.engine, empty), (e: Error) => e instanceof CopyRefused && /not empty \(1 town, \d+ requests/.test(e.message));
    assert.deepEqual(await dump(empty), before);
    // One row anywhere is enough: a staff account made before the copy.
    await target.run("INSERT INTO staff_users (email, name, password_hash, created_at) VALUES ('a@b.c', 'A', 'x', 0)");
    await assert.rejects(copyStore(t.engine, target), (e: Error) => e instanceof CopyRefused && /rows in staff_users/.test(e.message));
    assert.equal((await target.one<{ n: number }>('SELECT count(*) AS n FROM jurisdictions'))!.n, 0);
  });

  test('a copy that fails half-way leaves the target empty, its triggers on', async () => {
    const t = await createTestApp();
    const id = await file(t, pothole(t));
    await t.engine.run("INSERT INTO request_events (request_id, type, public, actor, note, created_at) VALUES (?, 'note', 0, 'test', 'refused by the target', 0)", [Number(id)]);
    const target = await postgres();
    // A rule the target alone has: the copy fails on the events, after the towns and requests went in.
    await target.run("ALTER TABLE request_events ADD CONSTRAINT refuse_one CHECK (note IS DISTINCT FROM 'refused by the target')");
    await assert.rejects(copyStore(t.engine, target), /refuse_one/);
    for (const table of ['jurisdictions', 'requests', 'request_events']) {
      assert.equal((await target.one<{ n: number }>(`SELECT count(*) AS n FROM ${table}`))!.n, 0, `${table} empty`);
    }
    assert.equal((await target.one<{ n: number }>("SELECT count(*) AS n FROM pg_trigger WHERE NOT tgisinternal AND tgenabled <> 'O'"))!.n, 0);
    assert.equal((await target.one<{ n: number }>('SELECT count(*) AS n FROM cache_versions'))!.n, 2, 'the counters of its migrations kept');
  });

  test('stores at another schema version are refused, the target untouched', async () => {
    const t = await createTestApp();
    const older = sqliteFile();
    const db = new Database(older);
    for (const sql of migrations.slice(0, -1)) db.exec(sql);
    db.pragma(`user_version = ${migrations.length - 1}`);
    db.close();
    const target = keep(await openEngine({ dbFile: older, migrate: false }));
    const [old, now] = [migrations.length - 1, migrations.length];
    await assert.rejects(copyStore(t.engine, target), (e: Error) => e instanceof CopyRefused && e.message.includes(`target is at schema version ${old}, this georeport at ${now}: run georeport migrate`));
    await assert.rejects(copyStore(target, await postgres()), (e: Error) => e instanceof CopyRefused && e.message.includes(`source is at schema version ${old}`));
    assert.equal(await storeVersion(target), migrations.length - 1);
    assert.equal((await target.one<{ n: number }>('SELECT count(*) AS n FROM jurisdictions'))!.n, 0);
  });

  test('georeport copy, as an operator runs it: to PostgreSQL, refused the second time, and back to a new file', async () => {
    const source = sqliteFile();
    assert.equal((await runCli(['seed', '--db', source])).code, 0);
    const url = await cluster.createDatabase({ migrated: false });

    const there = await runCli(['copy', '--from', source, '--to', url]);
    assert.equal(there.code, 0, there.stderr);
    assert.match(there.stdout, /^ {2}requests +\d+$/m);
    assert.match(there.stdout, /photos are files, not rows: copy the media folder \(GEOREPORT_MEDIA_DIR\)/);

    const again = await runCli(['copy', '--to', url], { GEOREPORT_DB: source });
    assert.equal(again.code, 2);
    assert.equal(again.stdout, '');
    assert.match(again.stderr, /^georeport: the target is not empty \(1 town, \d+ requests; rows in .*\): georeport copies into an empty store only/);

    const file = sqliteFile();
    const back = await runCli(['copy', '--from', url, '--to', file]);
    assert.equal(back.code, 0, back.stderr);
    const [a, b] = [keep(await openEngine({ dbFile: source, migrate: false })), keep(await openEngine({ dbFile: file, migrate: false }))];
    assert.deepEqual(await dump(b), await dump(a));

    const missing = await runCli(['copy', '--from', join(dir.dir, 'nowhere.db'), '--to', url]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /no SQLite store at .*nowhere\.db/);
    assert.equal((await runCli(['copy'])).code, 2);
  });
});
