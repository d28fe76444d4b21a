/**
 * The Drupal module without a Drupal (none can be installed here): its PHP parses, its YAML is valid,
 * its PHPUnit tests pass against the stand-ins of test/plugins/drupal/stubs/ (the blocks' render arrays
 * and forms, the settings form, the template rendered by real Twig, the schema and the French
 * translation), and `npm run package:plugins`'s tar.gz holds the module and the current widget bundle.
 * Needs Debian's php-cli, phpunit, php-twig and yamllint.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { assertShipped, BUNDLE, CHUNKS, filesOf, lint, ROOT, run, unpack } from '../helpers/plugins.ts';
import { tempDir } from '../helpers/server-process.ts';

const MODULE = join(ROOT, 'plugins/drupal/georeport');

describe('the Drupal module', () => {
  test('every PHP file parses', async () => {
    const php = filesOf(MODULE).filter((f) => /\.(php|module)$/.test(f));
    assert.ok(php.includes('georeport.module') && php.length >= 8, php.join(', '));
    assert.deepEqual(await lint(php.map((f) => join(MODULE, f))), []);
  });

  test('every YAML file is valid (yamllint, warnings counted)', async () => {
    const yaml = filesOf(MODULE).filter((f) => f.endsWith('.yml'));
    assert.ok(yaml.length >= 6, yaml.join(', '));
    const config = '{extends: default, rules: {document-start: disable, line-length: {max: 200}}}';
    const result = await run('yamllint', ['--strict', '-f', 'parsable', '-d', config, ...yaml.map((f) => join(MODULE, f))]).then(() => '', (e: { stdout: string }) => e.stdout);
    assert.equal(result, '');
  });

  test('its PHPUnit tests pass: blocks, forms, template (real Twig), schema, translation', async () => {
    const { stdout } = await run('phpunit', ['-c', join(ROOT, 'test/plugins/drupal/phpunit.xml'), '--testdox'], { cwd: ROOT }).catch((e: { stdout: string }) => ({ stdout: e.stdout }));
    const summary = /OK \((\d+) tests?, (\d+) assertions?\)/.exec(stdout);
    assert.ok(summary, stdout);
    assert.ok(Number(summary[1]) >= 20, stdout);
  });
});

describe('georeport-drupal.tar.gz', () => {
  const { dir, cleanup } = tempDir('georeport-drupal-tar-');
  after(cleanup);
  before(() => unpack(join(ROOT, 'dist/plugins/georeport-drupal.tar.gz'), dir));

  test('holds the module as it is here, in a georeport/ folder, and the current widget bundle where its library says', () => {
    assert.deepEqual(filesOf(dir).filter((f) => !f.startsWith('georeport/')), []);
    const unpacked = join(dir, 'georeport');
    assertShipped(MODULE, unpacked);
    assert.deepEqual(filesOf(unpacked).filter((f) => !filesOf(MODULE).includes(f)), ['georeport.js', ...CHUNKS].map((f) => `js/${f}`).sort());
    assert.ok(readFileSync(join(unpacked, 'js/georeport.js')).equals(readFileSync(BUNDLE)));
    for (const chunk of CHUNKS) assert.ok(readFileSync(join(unpacked, 'js', chunk)).equals(readFileSync(join(BUNDLE, '..', chunk))), `${chunk}, which it loads, beside it`);
    assert.match(readFileSync(join(MODULE, 'georeport.libraries.yml'), 'utf8'), /^\s+js\/georeport\.js:/m);
  });
});
