/** The `georeport` command as an operator runs it: real processes, exit codes, stdout, stderr. */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { runCli, startServer, tempDir, type CliResult } from '../helpers/server-process.ts';
import { onPostgres } from '../helpers/test-engine.ts';

const API = 'open311/v2/';

/** A usage or configuration error: exit 2, nothing on stdout, one message on stderr, no stack. */
function assertUsageError(r: CliResult, ...mentions: (string | RegExp)[]) {
  assert.equal(r.code, 2, `exit code 2 expected\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /^georeport: /);
  assert.equal(r.stderr.match(/georeport: /g)?.length, 1, `one message: ${r.stderr}`);
  assert.doesNotMatch(r.stderr, /^\s+at /m, 'no stack trace');
  for (const m of mentions) {
    if (typeof m === 'string') assert.ok(r.stderr.includes(m), `stderr names ${m}: ${r.stderr}`);
    else assert.match(r.stderr, m);
  }
}

async function post(baseUrl: string, key: string): Promise<Response> {
  return fetch(`${baseUrl}${API}requests.json`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      api_key: key,
      service_code: 'corbeille-pleine',
      lat: '47.39',
      long: '0.68',
      description: 'posted with a key from the CLI',
    }).toString(),
  });
}

test('bad configuration: exit 2, one message naming the setting, no file created', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const db = `${dir}/never.db`;

  const badPort = await runCli(['serve', '--db', db], { GEOREPORT_PORT: 'abc' });
  assertUsageError(badPort, 'GEOREPORT_PORT', '"abc"', 'integer from 0 to 65535');

  const badLevel = await runCli(['serve', '--db', db, '--log-level=loud']);
  assertUsageError(
    badLevel,
    'GEOREPORT_LOG_LEVEL',
    '--log-level',
    '"loud"',
    'debug, info, warn, error, silent',
  );

  const unknownFlag = await runCli(['migrate', '--db', db, '--frobnicate', '3']);
  assertUsageError(unknownFlag, 'unknown option --frobnicate');

  const several = await runCli(['serve', '--db', db, '--batch-interval', '0'], {
    GEOREPORT_RATE_LIMIT_IP: '-1',
  });
  assertUsageError(several, 'GEOREPORT_BATCH_INTERVAL', 'GEOREPORT_RATE_LIMIT_IP');

  assert.equal(existsSync(db), false, 'no store was created by a command that refused to start');
});

test('an unknown or missing command exits 2 with the usage, and creates no store', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const db = `${dir}/sub/never.db`;

  const unknown = await runCli(['srve', '--db', db]);
  assertUsageError(
    unknown,
    'unknown command srve',
    /usage: georeport <command>/,
    /\bserve\b/,
    /\bmigrate\b/,
    /\bkeys\b/,
  );
  assert.equal(existsSync(db), false, 'a mistyped command created or migrated a store');

  const none = await runCli([]);
  assert.equal(none.code, 2);
  assert.match(none.stdout + none.stderr, /usage: georeport <command>/);

  const help = await runCli(['--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /usage: georeport <command>/);
  assert.match(help.stdout, /GEOREPORT_PORT/);
});

test('migrate creates a store and reports its version; run again, nothing to do', { skip: onPostgres && 'a SQLite file and its PRAGMAs (pg-schema.test.ts migrates PostgreSQL)' }, async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const db = `${dir}/nested/dir/georeport.db`;

  const first = await runCli(['migrate', '--db', db]);
  assert.equal(first.code, 0, first.stderr);
  assert.equal(first.stderr, '');
  const applied = /^applied migrations ([\d, ]+)\n$/.exec(first.stdout);
  assert.ok(applied, `unexpected output: ${first.stdout}`);
  const versions = applied[1]!.split(', ').map(Number);
  assert.equal(versions[0], 1, 'a fresh store starts at migration 1');
  assert.ok(existsSync(db), 'the store file exists');

  const file = new Database(db, { readonly: true });
  const userVersion = file.pragma('user_version', { simple: true });
  const journal = file.pragma('journal_mode', { simple: true });
  file.close();
  assert.equal(
    userVersion,
    versions.at(-1),
    'the reported version is the one recorded in the file',
  );
  assert.equal(journal, 'wal');

  const second = await runCli(['migrate', '--db', db]);
  assert.equal(second.code, 0, second.stderr);
  assert.equal(second.stdout, 'schema is up to date\n');
});

test('seed is idempotent; keys create/list/revoke work against a served instance', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const db = `${dir}/georeport.db`;

  const seeded = await runCli(['seed', '--db', db]);
  assert.equal(seeded.code, 0, seeded.stderr);
  assert.equal(seeded.stdout, 'seeded the demo city ville.example\n');
  const again = await runCli(['seed', '--db', db]);
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout, /ville\.example exists already; nothing seeded/);

  const created = await runCli([
    'keys',
    'create',
    '--name',
    'Quartier Nord app',
    '--jurisdiction',
    'ville.example',
    '--db',
    db,
  ]);
  assert.equal(created.code, 0, created.stderr);
  const id = /^created API client (\d+) \(Quartier Nord app\) for ville\.example, scopes report$/m.exec(
    created.stdout,
  )?.[1];
  const key = /^api_key: (\S+)$/m.exec(created.stdout)?.[1];
  assert.ok(id && key, `unexpected output: ${created.stdout}`);
  assert.ok(key.length >= 24, 'the key is long enough to be unguessable');

  const wrongJurisdiction = await runCli([
    'keys',
    'create',
    '--name',
    'x',
    '--jurisdiction',
    'nowhere.example',
    '--db',
    db,
  ]);
  assertUsageError(wrongJurisdiction, 'no jurisdiction nowhere.example');

  const listed = await runCli(['keys', 'list', '--db', db]);
  assert.equal(listed.code, 0, listed.stderr);
  const row = listed.stdout.split('\n').find((line) => line.startsWith(`${id}\t`));
  assert.ok(row, `keys list shows client ${id}:\n${listed.stdout}`);
  assert.match(row, /\tville\.example\t/);
  assert.match(row, /\t-\tQuartier Nord app$/, 'not revoked yet');
  assert.ok(row.includes(key.slice(0, 8)), 'the list shows the key prefix');
  assert.ok(!listed.stdout.includes(key), 'keys list never shows a full key');

  const other = /^api_key: (\S+)$/m.exec((await runCli(['keys', 'create', '--name', 'Other app', '--db', db])).stdout)![1]!;
  const server = await startServer({ args: ['--db', db] });
  t.after(() => server.kill());

  // Seeding twice did not duplicate anything a resident sees.
  const services = (await (await fetch(`${server.url}${API}services.json`)).json()) as {
    service_code: string;
  }[];
  assert.ok(services.length > 0);
  assert.equal(
    new Set(services.map((s) => s.service_code)).size,
    services.length,
    'no service is listed twice',
  );
  const listedRequests = (await (await fetch(`${server.url}${API}requests.json`)).json()) as Record<
    string,
    unknown
  >[];
  assert.ok(listedRequests.length > 0, 'the demo requests are there');
  const fingerprints = listedRequests.map((r) => JSON.stringify([r.description, r.lat, r.long]));
  assert.equal(new Set(fingerprints).size, fingerprints.length, 'no demo request was seeded twice');

  const accepted = await post(server.url, key);
  assert.equal(accepted.status, 200, await accepted.clone().text());
  const [created1] = (await accepted.json()) as { service_request_id: string }[];
  assert.match(created1!.service_request_id, /^\d+$/);

  // Revoked from the CLI while the server runs: refused at once, no restart needed.
  const revoked = await runCli(['keys', 'revoke', id, '--db', db]);
  assert.equal(revoked.code, 0, revoked.stderr);
  assert.equal(revoked.stdout, `revoked API client ${id} (Quartier Nord app)\n`);
  const refused = await post(server.url, key);
  assert.equal(refused.status, 403);
  const errors = (await refused.json()) as { code: number; description: string }[];
  assert.equal(errors[0]?.code, 403);
  assert.match(errors[0]!.description, /api_key/);
  assert.equal((await post(server.url, other)).status, 200, 'other keys keep working');
  assert.equal((await post(server.url, 'demo-public-key')).status, 403, 'the seeded demo key works only on a demo server');

  const listedAfter = await runCli(['keys', 'list', '--db', db]);
  const rowAfter = listedAfter.stdout.split('\n').find((line) => line.startsWith(`${id}\t`))!;
  assert.match(
    rowAfter,
    /\t\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\tQuartier Nord app$/,
    'the list shows when it was revoked',
  );

  const twice = await runCli(['keys', 'revoke', id, '--db', db]);
  assertUsageError(twice, `no active API client ${id}`);

  const stopped = await server.stop();
  assert.equal(stopped.code, 0);
});

test('keys carry scopes: create --scopes, list and scopes show and change them at once; bad scopes refused; only an updates key posts status updates', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const db = `${dir}/georeport.db`;
  assert.equal((await runCli(['seed', '--db', db])).code, 0);
  const create = (name: string, ...more: string[]) => runCli(['keys', 'create', '--name', name, '--jurisdiction', 'ville.example', ...more, '--db', db]);
  const made = (r: CliResult) => {
    assert.equal(r.code, 0, r.stderr);
    return { id: /^created API client (\d+) /m.exec(r.stdout)![1]!, key: /^api_key: (\S+)$/m.exec(r.stdout)![1]! };
  };

  const widgetRun = await create('Site web');
  assert.match(widgetRun.stdout, /for ville\.example, scopes report$/m, 'report unless told otherwise');
  assert.match(widgetRun.stdout, /^Keep it now: it is stored hashed and cannot be shown again\.$/m);
  const widget = made(widgetRun);
  const crmRun = await create('GRC voirie', '--scopes', 'updates');
  assert.match(crmRun.stdout, /, scopes updates$/m);
  assert.match(crmRun.stdout, /keep it secret: .* it can close requests/, 'an integration key is said to be kept secret');
  const crm = made(crmRun);
  const both = await create('Appli partenaire', '--scopes', 'updates, report');
  assert.match(both.stdout, /, scopes report,updates$/m, 'each scope once, in one order');

  const listed = async () => (await runCli(['keys', 'list', '--db', db])).stdout.split('\n');
  const before = await listed();
  assert.equal(before[0], 'id\tprefix\tjurisdiction\tscopes\trate/min\tcreated\trevoked\tname');
  const scopesOf = (lines: string[], id: string) => lines.find((l) => l.startsWith(`${id}\t`))!.split('\t')[3];
  assert.equal(scopesOf(before, widget.id), 'report');
  assert.equal(scopesOf(before, crm.id), 'updates');

  // Refused with what is accepted, and nothing made or changed.
  const among = '--scopes takes a comma list among report, updates';
  assertUsageError(await create('x', '--scopes', 'admin'), among);
  assertUsageError(await create('x', '--scopes', 'report,everything'), among);
  assertUsageError(await create('x', '--scopes'), among);
  assertUsageError(await runCli(['keys', 'scopes', widget.id, 'report,root', '--db', db]), among);
  assertUsageError(await runCli(['keys', 'scopes', widget.id, '--db', db]), 'keys scopes needs the client id and the scopes');
  assertUsageError(await runCli(['keys', 'scopes', '999', 'report', '--db', db]), 'no active API client 999');
  assert.deepEqual(await listed(), before, 'nothing created or changed by a refused command');

  const server = await startServer({ args: ['--db', db] });
  t.after(() => server.kill());
  const [open] = (await (await fetch(`${server.url}${API}requests.json?status=open`)).json()) as { service_request_id: string }[];
  let n = 0;
  const update = (key: string) => fetch(`${server.url}${API}servicerequestupdates.json`, {
    method: 'POST',
    body: new URLSearchParams({ api_key: key, service_request_id: open!.service_request_id, update_id: `crm-${++n}`, status: 'IN_PROGRESS', description: 'Programmé' }),
  });

  const refused = await update(widget.key);
  assert.equal(refused.status, 403);
  assert.match(((await refused.json()) as { description: string }[])[0]!.description, /lacks the updates scope/);
  assert.equal((await update(crm.key)).status, 200, 'an updates key posts status updates');
  assert.equal((await post(server.url, crm.key)).status, 403, 'an updates-only key files nothing');

  // Changed from the CLI while the server runs: in effect at once.
  const granted = await runCli(['keys', 'scopes', widget.id, 'report,updates', '--db', db]);
  assert.equal(granted.code, 0, granted.stderr);
  assert.equal(granted.stdout, `API client ${widget.id} (Site web) now has scopes report,updates\n`);
  assert.equal((await update(widget.key)).status, 200);
  assert.equal(scopesOf(await listed(), widget.id), 'report,updates');
  const narrowed = await runCli(['keys', 'scopes', widget.id, 'updates', '--db', db]);
  assert.equal(narrowed.code, 0, narrowed.stderr);
  assert.equal((await post(server.url, widget.key)).status, 403, 'without report it files nothing more');
  assert.equal((await update(widget.key)).status, 200);

  assert.equal((await runCli(['keys', 'revoke', crm.id, '--db', db])).code, 0);
  assertUsageError(await runCli(['keys', 'scopes', crm.id, 'report', '--db', db]), `no active API client ${crm.id}`);
  assert.equal((await server.stop()).code, 0);
});

test('staff create, list and password: the first administrator, a forgotten password replaced', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const db = `${dir}/georeport.db`;
  assert.equal((await runCli(['seed', '--db', db])).code, 0);
  const create = (password: string, ...more: string[]) =>
    runCli(['staff', 'create', '--email', 'Claire.Martin@ville.example', '--name', 'Claire Martin', '--jurisdiction', 'ville.example', ...more, '--db', db], { GEOREPORT_STAFF_PASSWORD: password });
  assertUsageError(await create('court'), /at least 12 characters/);
  assertUsageError(await create('un mot de passe assez long', '--role', 'chef'), /--role is one of administrator, agent, readonly/);
  assertUsageError(await runCli(['staff', 'create', '--email', 'x@ville.example', '--name', 'X', '--jurisdiction', 'nowhere.example', '--db', db], { GEOREPORT_STAFF_PASSWORD: 'un mot de passe assez long' }), 'no jurisdiction nowhere.example');
  const created = await create('un mot de passe assez long');
  assert.equal(created.code, 0, created.stderr);
  assert.match(created.stdout, /^created staff 1 \(Claire\.Martin@ville\.example\), administrator of ville\.example; they log in at \/admin$/m);
  assertUsageError(await create('un mot de passe assez long'), /has an account already/);
  const listed = await runCli(['staff', 'list', '--jurisdiction', 'ville.example', '--db', db]);
  assert.equal(listed.stdout, '1\tadministrator\tclaire.martin@ville.example\tClaire Martin\n');

  const server = await startServer({ args: ['--db', db] });
  t.after(() => server.kill());
  const login = (password: string) => fetch(`${server.url}admin/api/session`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email: 'claire.martin@ville.example', password }) });
  const first = await login('un mot de passe assez long');
  assert.equal(first.status, 200);
  const cookie = first.headers.get('set-cookie')!.split(';')[0]!;
  const reset = await runCli(['staff', 'password', '--email', 'claire.martin@ville.example', '--db', db], { GEOREPORT_STAFF_PASSWORD: 'un tout nouveau mot de passe' });
  assert.equal(reset.code, 0, reset.stderr);
  assert.match(reset.stdout, /their sessions are closed/);
  assert.equal((await fetch(`${server.url}admin/api/session`, { headers: { Cookie: cookie } })).status, 401, 'the open session ended');
  assert.equal((await login('un mot de passe assez long')).status, 401);
  assert.equal((await login('un tout nouveau mot de passe')).status, 200);
  assertUsageError(await runCli(['staff', 'password', '--email', 'personne@ville.example', '--db', db], { GEOREPORT_STAFF_PASSWORD: 'un tout nouveau mot de passe' }), /--email of an account/);
});
