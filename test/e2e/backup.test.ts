/**
 * `georeport backup DIR` and `georeport restore DIR` on real processes: a backup taken while a server
 * files requests with photos, restored into a fresh store that a new server then serves; every request
 * acknowledged before the backup began answers as it did, photos included. On the engine under test
 * (`GEOREPORT_TEST_ENGINE=postgres`: pg_dump and pg_restore).
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { test } from 'node:test';
import sharp from 'sharp';
import { newPostgresStore, onPostgres } from '../helpers/test-engine.ts';
import { runCli, startServer, tempDir, type ServerProcess } from '../helpers/server-process.ts';

const PUBLIC_URL = 'https://signalements.ville.example/';
const LOAD_ENV = {
  GEOREPORT_RATE_LIMIT_IP: '1000000000', GEOREPORT_RATE_LIMIT_KEY: '1000000000', GEOREPORT_PHOTOS_PER_ADDRESS: '1000000', GEOREPORT_PUBLIC_URL: PUBLIC_URL,
};
const CLIENTS = 3;

/** Distinct small photos (each its own stored file), as a phone would send them. */
const photos = Promise.all(
  Array.from({ length: 8 }, (_, i) => sharp({ create: { width: 64, height: 48, channels: 3, background: { r: 30 * i, g: 200 - 20 * i, b: 90 } } }).jpeg().toBuffer()),
);

async function fileWithPhoto(server: ServerProcess, client: number, n: number): Promise<string> {
  const form = new FormData();
  form.append('api_key', 'demo-public-key');
  form.append('service_code', 'tag-graffiti');
  form.append('description', `tag ${client}/${n} sur le mur de l’école`);
  form.append('lat', (47.39 + client / 1000 + n / 1_000_000).toFixed(6));
  form.append('long', (0.68 + n / 1_000_000).toFixed(6));
  form.append('media', new Blob([(await photos)[(client + n) % 8]!], { type: 'image/jpeg' }), 'tag.jpg');
  const res = await fetch(`${server.url}open311/v2/requests.json`, { method: 'POST', body: form });
  const text = await res.text();
  assert.equal(res.status, 200, text);
  return (JSON.parse(text) as { service_request_id: string }[])[0]!.service_request_id;
}

/** What a client reads of these requests: each one, a list of them, and each photo's bytes. */
async function reads(server: ServerProcess, ids: string[]): Promise<Record<string, string>> {
  const seen: Record<string, string> = {};
  const get = async (path: string) => {
    const res = await fetch(new URL(path, server.url));
    assert.equal(res.status, 200, path);
    return Buffer.from(await res.arrayBuffer()).toString('base64');
  };
  for (const id of ids) {
    const path = `open311/v2/requests/${id}.json`;
    seen[path] = await get(path);
    const [request] = JSON.parse(Buffer.from(seen[path], 'base64').toString()) as { media_url?: string }[];
    assert.ok(request?.media_url?.startsWith(PUBLIC_URL), `request ${id} shows its photo`);
    const photo = new URL(request!.media_url!).pathname.slice(1);
    seen[photo] = await get(photo);
  }
  for (const path of [`open311/v2/requests.json?service_request_id=${ids.slice(0, 10).join(',')}`, `open311/v2/requests.xml?service_request_id=${ids.slice(-10).join(',')}`]) {
    seen[path] = await get(path);
  }
  return seen;
}

test('a backup taken under write load restores into a fresh store that answers the same reads, photos included', { timeout: 180_000 }, async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const [db, media, backup] = [`${dir}/georeport.db`, `${dir}/media`, `${dir}/backup`];
  const server = await startServer({ args: ['--seed-demo', '--db', db], env: { ...LOAD_ENV, GEOREPORT_MEDIA_DIR: media } });
  t.after(() => server.kill());

  const acknowledged: string[] = [];
  let stop = false;
  let failed: unknown;
  const load = Promise.all(
    Array.from({ length: CLIENTS }, async (_, c) => {
      for (let n = 0; !stop; n++) acknowledged.push(await fileWithPhoto(server, c, n));
    }),
  ).catch((error: unknown) => void (failed ??= error));
  while (acknowledged.length < 12 && !failed) await new Promise((resolve) => setTimeout(resolve, 20));
  const before = [...acknowledged];
  const backedUp = await runCli(['backup', backup, '--db', db], { GEOREPORT_MEDIA_DIR: media }, 60_000);
  const duringBackup = acknowledged.length - before.length;
  stop = true;
  await load;
  if (failed) throw failed;
  assert.equal(backedUp.code, 0, backedUp.stderr);
  assert.ok(duringBackup > 0, 'filings went on while the backup ran');
  assert.match(backedUp.stdout, /copied \d+ photos/);
  const manifest = JSON.parse(readFileSync(`${backup}/manifest.json`, 'utf8')) as Record<string, unknown>;
  assert.equal(manifest.engine, onPostgres ? 'postgres' : 'sqlite');
  assert.ok(Number(manifest.requests) >= before.length, `the manifest counts ${manifest.requests} requests`);
  assert.ok(Number(manifest.photos) >= 8, `the manifest counts ${manifest.photos} photos`);
  const original = await reads(server, before);

  // The running store is not an empty target: refused, and left as it was.
  const size = onPostgres ? 0 : statSync(db).size;
  const refused = await runCli(['restore', backup, '--db', db], { GEOREPORT_MEDIA_DIR: media });
  assert.equal(refused.code, 2, refused.stderr);
  assert.match(refused.stderr, onPostgres ? /holds a georeport store already/ : /holds a store already/);
  if (!onPostgres) assert.equal(statSync(db).size, size);
  assert.equal((await server.stop()).code, 0, server.stderr());

  // A fresh store on another "machine": an absent file, or a new database with its extensions only.
  const [db2, media2] = [`${dir}/restored/georeport.db`, `${dir}/restored/media`];
  const target: Record<string, string> = onPostgres ? { GEOREPORT_DATABASE_URL: await newPostgresStore({ migrated: false }) } : {};
  const restored = await runCli(['restore', backup, '--db', db2], { ...target, GEOREPORT_MEDIA_DIR: media2 }, 60_000);
  assert.equal(restored.code, 0, restored.stderr);
  assert.match(restored.stdout, new RegExp(`put back ${manifest.photos} photos`));
  const again = await startServer({ args: ['--demo', '--db', db2], env: { ...LOAD_ENV, ...target, GEOREPORT_MEDIA_DIR: media2 } });
  t.after(() => again.kill());
  assert.deepEqual(await reads(again, before), original);
  // The restored store takes new filings, under ids of its own.
  const next = await fileWithPhoto(again, 9, 1);
  assert.ok(Number(next) > Math.max(...before.map(Number)));
  assert.equal((await again.stop()).code, 0, again.stderr());
});

test('backup and restore refuse what they cannot do, with a message that says why, and change nothing', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const cli = async (args: string[]) => {
    const result = await runCli([...args, '--db', `${dir}/georeport.db`], { GEOREPORT_MEDIA_DIR: `${dir}/media` });
    assert.equal(result.code, 2, `${args.join(' ')}: ${result.stdout}${result.stderr}`);
    return result.stderr;
  };
  assert.match(await cli(['backup']), /backup needs one folder: georeport backup DIR/);
  assert.match(await cli(['restore', `${dir}/nowhere`]), /no backup at .*nowhere: there is no such folder/);
  writeFileSync(`${dir}/note.txt`, 'not a backup');
  assert.match(await cli(['backup', dir]), /is not empty: a backup goes into a new \(or empty\) folder each time/);
  assert.match(await cli(['restore', dir]), /holds no manifest\.json: it is not a complete georeport backup/);
  writeFileSync(`${dir}/manifest.json`, '{"format": "georeport-backup", "version": 1, "engine": "oracle"}');
  assert.match(await cli(['restore', dir]), /manifest\.json is not a georeport backup manifest: engine must be "sqlite" or "postgres"/);
  writeFileSync(`${dir}/manifest.json`, '{ nope');
  assert.match(await cli(['restore', dir]), /is not a georeport backup manifest: it is not JSON/);
  const engine = onPostgres ? 'postgres' : 'sqlite';
  writeFileSync(`${dir}/manifest.json`, JSON.stringify({ format: 'georeport-backup', version: 1, createdAt: new Date().toISOString(), engine, schemaVersion: 999, requests: 0, photos: 0 }));
  assert.match(await cli(['restore', dir]), /the backup is at schema version 999, newer than this georeport \(\d+\): upgrade georeport/);
  assert.ok(!existsSync(`${dir}/georeport.db`), 'no store was created');
});
