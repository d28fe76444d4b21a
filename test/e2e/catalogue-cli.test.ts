/** `georeport catalogue import FILE` as an operator runs it: a real process, its exit code and output. */
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runCli, startServer, tempDir } from '../helpers/server-process.ts';

const XSS = fileURLToPath(new URL('../fixtures/catalogues/xss.json', import.meta.url));

test('catalogue import writes a jurisdiction the server then lists, markup kept as given', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const db = `${dir}/georeport.db`;

  const imported = await runCli(['catalogue', 'import', XSS, '--db', db]);
  assert.equal(imported.code, 0, imported.stderr);
  assert.equal(imported.stdout, 'imported 2 services into xss.example\n');
  const again = await runCli(['catalogue', 'import', XSS, '--db', db]);
  assert.equal(again.code, 0, again.stderr);

  const server = await startServer({ args: ['--db', db] });
  t.after(() => server.kill());
  const res = await fetch(`${server.url}open311/v2/services.json?jurisdiction_id=xss.example`);
  assert.equal(res.status, 200);
  const services = (await res.json()) as {
    service_code: string;
    service_name: string;
    group: string;
  }[];
  assert.deepEqual(
    services.map((s) => s.service_code),
    ['img-name', 'plain'],
    'imported twice, listed once',
  );
  assert.equal(services[0]!.service_name, '<img src=x onerror="window.__xss=1"> Broken lamp');
  assert.match(services[0]!.group, /^<b>Bold group<\/b>/);
  assert.equal((await server.stop()).code, 0);
});

test('a bad catalogue file exits 2 listing every problem, and creates no store', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const db = `${dir}/never.db`;
  const bad = `${dir}/bad.json`;
  writeFileSync(
    bad,
    JSON.stringify({
      jurisdiction: { id: 'Not An Id', name: 'x', default_locale: 'fr' },
      groups: [],
      services: [
        {
          code: 'a',
          name: 'A',
          group: 'missing',
          attributes: [{ code: 'n', datatype: 'colour', order: 1 }],
        },
      ],
    }),
  );

  const invalid = await runCli(['catalogue', 'import', bad, '--db', db]);
  assert.equal(invalid.code, 2, invalid.stderr);
  assert.equal(invalid.stdout, '');
  assert.match(invalid.stderr, /^georeport: .*bad\.json is not a valid catalogue:\n/);
  assert.match(invalid.stderr, /^ {2}- jurisdiction\.id must be a lower-case domain-like id$/m);
  assert.match(invalid.stderr, /^ {2}- services\[0\]\.group missing is not a listed group$/m);
  assert.match(invalid.stderr, /^ {2}- services\[0\]\.attributes\[0\]\.datatype must be one of /m);
  assert.doesNotMatch(invalid.stderr, /^\s+at /m, 'no stack trace');

  writeFileSync(`${dir}/broken.json`, '{"jurisdiction": ');
  const notJson = await runCli(['catalogue', 'import', `${dir}/broken.json`, '--db', db]);
  assert.equal(notJson.code, 2);
  assert.match(notJson.stderr, /broken\.json is not JSON/);

  const missing = await runCli(['catalogue', 'import', `${dir}/absent.json`, '--db', db]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /cannot read .*absent\.json: ENOENT/);

  const noFile = await runCli(['catalogue', 'import', '--db', db]);
  assert.equal(noFile.code, 2);
  assert.match(noFile.stderr, /catalogue takes import FILE/);

  assert.equal(existsSync(db), false, 'a refused file created no store');
});
