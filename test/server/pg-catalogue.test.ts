import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { before, describe, test } from 'node:test';
import { exportCatalogue } from '../../server/catalogue/catalogue.export.ts';
import { importCatalogue, parseCatalogue, type CatalogueInput } from '../../server/catalogue/catalogue.import.ts';
import { createCatalogueStore } from '../../server/catalogue/catalogue.store.ts';
import { createTemplatesStore } from '../../server/catalogue/templates.store.ts';
import { seedDemoCatalogue } from '../../server/cli/seed.ts';
import type { Engine } from '../../server/db/engine.ts';
import { enginesUnderTest } from '../helpers/engines.ts';

/**
 * The catalogue, its import and export and the response templates answer the same on both engines: the
 * same documents written through the same functions read back alike in every language, through every
 * method of the stores (the SQLite answer is the reference).
 */
const T0 = 1_700_000_000;
const DEMO = 'ville.example';
const OTHER = 'autre.example';
// One per file: it stops its PostgreSQL cluster when the file ends.
const engines = enginesUnderTest();
const demoDoc = () => JSON.parse(readFileSync(new URL('../../demo/city/catalogue.json', import.meta.url), 'utf8')) as Record<string, unknown>;

/** A second town: services without a group, retired ones, lists translated into three languages, private answers. */
const other: CatalogueInput = parseCatalogue({
  jurisdiction: { id: OTHER, name: 'Autreville', default_locale: 'en', contact: 'town hall' },
  groups: [{ code: 'z-last', name: { en: 'Last', de: 'Letzte' } }, { code: 'a-first', name: 'First' }],
  services: [
    { code: 'Zebra', name: { en: 'Zebra crossing', fr: 'Passage piéton', de: 'Zebrastreifen' }, group: 'z-last', sla_hours: 48, duplicate_radius: 120, duplicate_days: 7 },
    { code: 'bench', name: 'Bench', group: 'a-first', moderation: 'hold', agency_responsible: 'Parks', service_notice: { en: 'Thanks', fr: 'Merci' } },
    { code: 'alpha', name: 'Alpha', type: 'batch', description: { en: 'No group', es: 'Sin grupo' }, keywords: 'a, b' },
    { code: 'retired', name: 'Retired', active: false },
    {
      code: 'lamp', name: { en: 'Lamp', fr: 'Lampadaire' }, group: 'a-first', type: 'blackbox',
      attributes: [
        { code: 'kind', datatype: 'multivaluelist', order: 2, required: true, description: { en: 'Kind', fr: 'Genre', de: 'Art' },
          values: [{ key: 'z', name: { en: 'Zed', fr: 'Zède' } }, { key: 'a', name: 'A' }, { key: 'm', name: { en: 'Em', de: 'Emm' } }] },
        { code: 'note', datatype: 'text', order: 1, variable: false, public: false, datatype_description: { en: 'Free text', fr: 'Texte libre' } },
        { code: 'when', datatype: 'datetime', order: 3 },
      ],
    },
  ],
});

/**
 * Every answer of the catalogue store, in every language it is asked in, service ids written as their
 * codes: PostgreSQL draws a sequence number for each upsert, even one that updates, so a service created
 * by a later import has another id on each engine (ids stay equal when a store is copied).
 */
async function readEverything(engine: Engine) {
  const store = createCatalogueStore(engine);
  const codes = new Map((await engine.query<{ id: number; code: string }>('SELECT id, code FROM services')).map((r) => [r.id, r.code]));
  const named = <T extends { id: number }>(s: T | undefined) => s && { ...s, id: codes.get(s.id) };
  const out: Record<string, unknown> = {
    rawIds: [...codes].sort(([a], [b]) => a - b),
    jurisdictions: await store.jurisdictions(),
    demo: await store.jurisdiction(DEMO),
    unknown: await store.jurisdiction('nowhere.example'),
  };
  for (const j of [DEMO, OTHER]) {
    out[`locales ${j}`] = await store.locales(j);
    const offered = (await store.services(j)).map((s) => s.code);
    out[`ids ${j}`] = (await store.serviceIds(j, [...offered, 'retired', 'unknown', 'Zebra'])).map((id) => codes.get(id));
    out[`no ids ${j}`] = await store.serviceIds(j, []);
    for (const locale of [null, 'fr', 'en', 'de', 'es', 'xx']) {
      const services = await store.services(j, locale);
      out[`services ${j} ${locale}`] = services.map(named);
      for (const s of services) {
        out[`service ${j} ${s.code} ${locale}`] = named(await store.service(j, s.code, locale));
        out[`attributes ${j} ${s.code} ${locale}`] = await store.attributes(s, locale);
      }
      out[`retired ${j} ${locale}`] = await store.service(j, 'retired', locale);
    }
  }
  return out;
}

/** The document as its export writes it: every default spelt out. */
function withDefaults(doc: Record<string, unknown>): unknown {
  const d = doc as { jurisdiction: Record<string, unknown>; groups: unknown[]; services: Record<string, unknown>[] };
  return {
    jurisdiction: { contact: '', ...d.jurisdiction },
    groups: d.groups,
    services: d.services.map((s) => ({
      description: '', keywords: '', type: 'realtime', moderation: 'auto', active: true, ...s,
      attributes: ((s.attributes ?? []) as Record<string, unknown>[]).map((a) => ({
        variable: true, required: false, public: true, description: '', datatype_description: '', ...a,
      })),
    })),
  };
}

/** Deep equality whatever the order of object keys (the export writes them in its own order). */
const sorted = (value: unknown): unknown =>
  Array.isArray(value) ? value.map(sorted)
    : value && typeof value === 'object' ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => [k, sorted(v)]))
      : value;

describe('the catalogue on both engines', () => {
  const answers = new Map<string, Record<string, unknown>>();

  before(async () => {
    for (const { name, open } of engines) {
      const engine = await open();
      const result: Record<string, unknown> = {};
      await importCatalogue(engine, parseCatalogue(demoDoc()), T0);
      await importCatalogue(engine, other, T0);
      result.first = await readEverything(engine);
      result.exportDemo = await exportCatalogue(engine, DEMO);
      result.exportOther = await exportCatalogue(engine, OTHER);
      result.exportNone = await exportCatalogue(engine, 'nowhere.example');

      // Imported again, changed: services reordered, one retired, one added, a group renamed, attributes replaced.
      const changed = structuredClone(other) as CatalogueInput;
      changed.services.reverse();
      changed.services.find((s) => s.code === 'bench')!.active = false;
      changed.services.push({ code: 'new', name: { en: 'New', fr: 'Nouveau' }, group: 'z-last' });
      changed.groups[0]!.name = { en: 'Renamed', it: 'Rinominato' };
      changed.services.find((s) => s.code === 'lamp')!.attributes = [{ code: 'only', datatype: 'string', order: 1, description: { en: 'Only', fr: 'Seul' } }];
      await importCatalogue(engine, changed, T0 + 60);
      result.changed = await readEverything(engine);
      result.exportChanged = await exportCatalogue(engine, OTHER);

      // The export imported again changes nothing.
      await importCatalogue(engine, (result.exportChanged as CatalogueInput), T0 + 120);
      result.exportAgain = await exportCatalogue(engine, OTHER);

      const templates = createTemplatesStore(engine);
      result.saved = [
        await templates.save(OTHER, 'lamp', 'fixed', 'en', 'Fixed.'),
        await templates.save(OTHER, 'lamp', 'fixed', 'fr', 'Réparé.'),
        await templates.save(OTHER, 'lamp', 'fixed', 'en', 'Fixed, thank you.'),
        await templates.save(OTHER, 'Zebra', 'in_progress', 'en', 'On it.'),
        await templates.save(OTHER, 'retired', 'rejected', 'en', 'Retired, still answered.'),
        await templates.save(OTHER, 'Zebra', 'in_progress', 'en', 'On it.'),
        await templates.save(OTHER, 'unknown', 'fixed', 'en', 'No such service.'),
        await templates.save(DEMO, 'lamp', 'fixed', 'en', 'Not a service of this town.'),
      ];
      result.hasService = [
        await templates.hasService(OTHER, 'retired'), await templates.hasService(OTHER, 'unknown'), await templates.hasService(DEMO, 'Zebra'),
      ];
      result.listed = await templates.list(OTHER);
      await templates.save(OTHER, 'lamp', 'fixed', 'fr', '');
      result.removed = await templates.list(OTHER);
      const lamp = (await engine.one<{ id: number }>('SELECT id FROM services WHERE jurisdiction_id = ? AND code = ?', [OTHER, 'lamp']))!.id;
      const filed = async (locale: string | null) => {
        const id = (await engine.run(
          'INSERT INTO requests (jurisdiction_id, service_id, requested_at, updated_at) VALUES (?, ?, ?, ?) RETURNING id', [OTHER, lamp, T0, T0],
        )).lastId!;
        if (locale !== undefined) await engine.run('INSERT INTO reporters (request_id, locale) VALUES (?, ?)', [id, locale]);
        return id;
      };
      result.forRequest = [
        await templates.forRequest(await filed('en')), await templates.forRequest(await filed('fr')),
        await templates.forRequest(await filed(null)), await templates.forRequest(999_999),
      ];
      answers.set(name, result);
    }
  });

  test('both engines ran', () => {
    assert.deepEqual([...answers.keys()], ['sqlite', 'postgres']);
  });

  for (const part of ['first', 'changed']) {
    test(`every read of the catalogue store answers the same (${part} import)`, () => {
      const [sqlite, postgres] = [answers.get('sqlite')![part] as Record<string, unknown>, answers.get('postgres')![part] as Record<string, unknown>];
      assert.ok(Object.keys(sqlite).length > 200, 'many reads compared');
      for (const key of Object.keys(sqlite)) if (key !== 'rawIds') assert.deepEqual(postgres[key], sqlite[key], key);
      assert.deepEqual(Object.keys(postgres), Object.keys(sqlite));
    });
  }

  test('the services of the first import have the same ids on both engines; a later one may not', () => {
    const [sqlite, postgres] = ['sqlite', 'postgres'].map((e) => answers.get(e)!) as Record<string, { rawIds: unknown }>[];
    assert.deepEqual(postgres!.first!.rawIds, sqlite!.first!.rawIds);
  });

  test('the answers are the ones the documents wrote (SQLite, the reference)', () => {
    const first = answers.get('sqlite')!.first as Record<string, unknown>;
    assert.deepEqual(first[`locales ${OTHER}`], ['de', 'es', 'fr']);
    assert.deepEqual(first[`locales ${DEMO}`], ['en']);
    assert.deepEqual((first[`services ${OTHER} null`] as { code: string }[]).map((s) => s.code), ['Zebra', 'bench', 'lamp', 'alpha']);
    assert.deepEqual((first[`services ${OTHER} de`] as { name: string; group: string }[]).map((s) => [s.name, s.group]),
      [['Zebrastreifen', 'Letzte'], ['Bench', 'First'], ['Lamp', 'First'], ['Alpha', null]]);
    const attributes = first[`attributes ${OTHER} lamp fr`] as { code: string; description: string; datatypeDescription: string; values: { key: string; name: string }[] }[];
    assert.deepEqual(attributes.map((a) => a.code), ['note', 'kind', 'when']);
    assert.deepEqual(attributes[1]!.values, [{ key: 'z', name: 'Zède' }, { key: 'a', name: 'A' }, { key: 'm', name: 'Em' }]);
    assert.equal(attributes[0]!.datatypeDescription, 'Texte libre');
    assert.equal(first[`retired ${OTHER} null`], undefined);
    assert.deepEqual(first[`ids ${OTHER}`], ['Zebra', 'bench', 'alpha', 'retired', 'lamp'], 'the retired service has an id, an unknown code none');
    const changed = answers.get('sqlite')!.changed as Record<string, unknown>;
    assert.deepEqual((changed[`services ${OTHER} null`] as { code: string }[]).map((s) => s.code), ['Zebra', 'new', 'lamp', 'alpha']);
    assert.deepEqual((changed[`attributes ${OTHER} lamp fr`] as { code: string; description: string }[]).map((a) => [a.code, a.description]), [['only', 'Seul']]);
    assert.deepEqual(changed[`locales ${OTHER}`], ['de', 'es', 'fr'], 'the languages of services, not of groups');
  });

  test('the export is the same on both engines, is the imported file with its defaults, and imports back unchanged', () => {
    for (const key of ['exportDemo', 'exportOther', 'exportNone', 'exportChanged', 'exportAgain']) {
      assert.deepEqual(answers.get('postgres')![key], answers.get('sqlite')![key], key);
    }
    const sqlite = answers.get('sqlite')!;
    assert.deepEqual(sorted(sqlite.exportDemo), sorted(withDefaults(demoDoc())));
    assert.equal(sqlite.exportNone, undefined);
    assert.deepEqual(sqlite.exportAgain, sqlite.exportChanged);
  });

  test('response templates are written, listed, removed and offered alike', () => {
    for (const key of ['saved', 'hasService', 'listed', 'removed', 'forRequest']) {
      assert.deepEqual(answers.get('postgres')![key], answers.get('sqlite')![key], key);
    }
    const sqlite = answers.get('sqlite')!;
    assert.deepEqual(sqlite.saved, [true, true, true, true, true, true, false, false]);
    assert.deepEqual(sqlite.hasService, [true, false, false]);
    assert.deepEqual((sqlite.removed as { locale: string; text: string }[]).filter((t) => t.text.startsWith('Fixed')).map((t) => t.locale), ['en']);
    const [en, fr, town, none] = sqlite.forRequest as ({ locale: string; templates: { text: string }[] } | undefined)[];
    assert.deepEqual([en!.locale, en!.templates.map((t) => t.text)], ['en', ['Fixed, thank you.']]);
    assert.deepEqual([fr!.locale, fr!.templates], ['fr', []]);
    assert.equal(town!.locale, 'en', "no reporter's language: the town's");
    assert.equal(none, undefined);
  });
});

describe('the demo seed on both engines', () => {
  test('the demo catalogue and its templates are stored alike', async () => {
    const stored: unknown[] = [];
    for (const { open } of engines) {
      const engine = await open();
      await seedDemoCatalogue(engine, T0);
      const tables = [];
      for (const sql of [
        'SELECT id, name, default_locale, contact, created_at FROM jurisdictions ORDER BY id',
        'SELECT * FROM service_groups ORDER BY id',
        'SELECT * FROM services ORDER BY id',
        'SELECT * FROM service_attributes ORDER BY id',
        'SELECT * FROM attribute_values ORDER BY attribute_id, key',
        'SELECT * FROM response_templates ORDER BY id',
      ]) tables.push(await engine.query(sql));
      stored.push(tables);
    }
    const [sqlite, postgres] = stored as Record<string, unknown>[][][];
    assert.ok(sqlite![5]!.length > 20, 'templates were seeded');
    assert.deepEqual(postgres, sqlite);
  });
});
