/**
 * The WordPress plugin's files and its archive: PHP that parses, every string shown in French, versions
 * that agree, and `npm run package:plugins`'s zip holding the plugin as it is here, the current widget
 * bundle and translations WordPress reads. (The plugin at work is test/plugins/wordpress.test.ts.)
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { assertShipped, BUNDLE, CHUNKS, filesOf, gettext, lint, ROOT, stringsPassedTo, unpack, type GettextEntry } from '../helpers/plugins.ts';
import { tempDir } from '../helpers/server-process.ts';

const PLUGIN = join(ROOT, 'plugins/wordpress/georeport');
const PO = join(PLUGIN, 'languages/georeport-fr_FR.po');
const read = (file: string) => readFileSync(join(PLUGIN, file), 'utf8');
const PHP_CALLS = ['__', '_e', 'esc_html__', 'esc_html_e', 'esc_attr__', 'esc_attr_e', '_n'];

let french: GettextEntry[];
before(async () => {
  french = await gettext(PO);
});
const translated = (singular: string, context: string | null = null) =>
  french.find((e) => e.singular === singular && e.context === context && e.translations.some((t) => t !== ''));

describe('the WordPress plugin’s files', () => {
  test('every PHP file parses', async () => {
    assert.deepEqual(await lint(filesOf(PLUGIN).filter((f) => f.endsWith('.php')).map((f) => join(PLUGIN, f))), []);
  });

  test('every string the plugin shows has its French translation, and none is left over', () => {
    const shown = new Map<string, string | null>();
    for (const file of filesOf(PLUGIN).filter((f) => f.endsWith('.php'))) {
      for (const text of stringsPassedTo(read(file), PHP_CALLS)) shown.set(text, null);
    }
    for (const text of stringsPassedTo(read('blocks/georeport/editor.js'), ['__'])) shown.set(text, null);
    const block = JSON.parse(read('blocks/georeport/block.json')) as { title: string; description: string; keywords: string[] };
    const fromBlock: [string, string][] = [[block.title, 'block title'], [block.description, 'block description'], ...block.keywords.map((k): [string, string] => [k, 'block keyword'])];
    assert.ok(shown.size > 40, `${shown.size} strings found`);
    const missing = [...shown.keys()].filter((text) => !translated(text));
    // A block keyword that is already French, or a title that is a name, needs no translation.
    missing.push(...fromBlock.filter(([text, context]) => !translated(text, context) && !['georeport', '311', 'signalement', 'open311'].includes(text)).map(([t, c]) => `${c}: ${t}`));
    assert.deepEqual(missing, []);
    const plural = french.find((e) => e.plural);
    assert.ok(plural && plural.translations.length === 2 && shown.has(plural.singular), 'the plural string has both French forms');
    const used = new Set([...shown.keys(), ...fromBlock.map(([t]) => t)]);
    assert.deepEqual(french.filter((e) => !used.has(e.singular)).map((e) => e.singular), [], 'translations of strings no longer shown');
  });

  test('the plugin header, readme.txt and block.json agree on the version and the oldest WordPress', () => {
    const header = (name: string) => new RegExp(`^\\s*\\*?\\s*${name}:\\s*(.+)$`, 'm').exec(read('georeport.php'))?.[1]?.trim();
    const readme = (name: string) => new RegExp(`^${name}:\\s*(.+)$`, 'm').exec(read('readme.txt'))?.[1]?.trim();
    const version = header('Version');
    assert.match(version ?? '', /^\d+\.\d+\.\d+$/);
    assert.equal(readme('Stable tag'), version);
    assert.equal((JSON.parse(read('blocks/georeport/block.json')) as { version: string }).version, version);
    assert.equal(header('Requires at least'), '6.1');
    assert.equal(readme('Requires at least'), '6.1');
    assert.equal(header('Text Domain'), 'georeport');
  });
});

describe('georeport-wordpress.zip', () => {
  const { dir, cleanup } = tempDir('georeport-wp-zip-');
  after(cleanup);
  before(() => unpack(join(ROOT, 'dist/plugins/georeport-wordpress.zip'), dir));
  const unpacked = join(dir, 'georeport');

  test('holds the plugin as it is here, in a georeport/ folder, and the current widget bundle', () => {
    assert.deepEqual(filesOf(dir).filter((f) => !f.startsWith('georeport/')), [], 'one folder, named as WordPress expects');
    assertShipped(PLUGIN, unpacked);
    assert.ok(readFileSync(join(unpacked, 'assets/georeport.js')).equals(readFileSync(BUNDLE)), 'the bundle built now');
    for (const chunk of CHUNKS) assert.ok(readFileSync(join(unpacked, 'assets', chunk)).equals(readFileSync(join(BUNDLE, '..', chunk))), `${chunk}, which it loads, beside it`);
    const extra = filesOf(unpacked).filter((f) => !filesOf(PLUGIN).includes(f));
    assert.deepEqual(extra, [...['georeport.js', ...CHUNKS].map((f) => `assets/${f}`).sort(), 'languages/georeport-fr_FR-georeport-georeport-editor-script.json', 'languages/georeport-fr_FR.mo']);
  });

  test('its .mo says what the .po says, read by WordPress', async () => {
    const key = (e: GettextEntry) => JSON.stringify([e.context, e.singular, e.plural, e.translations]);
    assert.deepEqual((await gettext(join(unpacked, 'languages/georeport-fr_FR.mo'))).map(key).sort(), french.map(key).sort());
  });

  test('its editor translations hold every string of the block’s script, in French', () => {
    const jed = JSON.parse(readFileSync(join(unpacked, 'languages/georeport-fr_FR-georeport-georeport-editor-script.json'), 'utf8')) as { locale_data: { messages: Record<string, string[]> } };
    const messages = jed.locale_data.messages;
    assert.equal((messages[''] as unknown as { lang: string }).lang, 'fr_FR');
    for (const text of stringsPassedTo(read('blocks/georeport/editor.js'), ['__'])) {
      assert.equal(messages[text]?.[0], translated(text)!.translations[0], text);
    }
  });
});
