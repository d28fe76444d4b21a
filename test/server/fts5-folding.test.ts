import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import type { Engine } from '../../server/db/engine.ts';
import { RULES_FILE } from '../../server/db/pg-migrations/fts5-fold.ts';
import { probeFts5, renderRules, renderSeparatorsModule, SEPARATORS_FILE } from '../../scripts/fts5-fold-rules.ts';
import { enginesUnderTest } from '../helpers/engines.ts';

/** Accents, ligatures, case and punctuation from French, German, Spanish and Vietnamese. */
const WORDS = [
  'École', 'ÉTÉ', 'Œuvre', 'cœur', 'Noël', 'garçon', 'naïve', "L'Haÿ-les-Roses", 'Île-de-France', 'déjà-vu', 'Ça',
  '12ème', 'N°5', 'à l’angle', '« trottoir »', 'e\u0301te\u0301', // the last in decomposed form (NFD)
  'Straße', 'GROẞ', 'Müller', 'ÄRGER', 'Öl', 'Übermaß',
  'Niño', 'ACCIÓN', 'pingüino', '¿Dónde?', '¡Olé!', 'Ñandú',
  'Đà Nẵng', 'Nguyễn', 'Hồ Chí Minh', 'Phở', 'tiếng Việt', 'ĐƯỜNG', 'Ở',
  'ﬁn', 'Æsir', 'Ĳssel', 'ǅemal', 'ΆΘΗΝΑ', 'Москва',
];

test("the rules and separators in the repository are what SQLite's FTS5 does now", () => {
  const map = probeFts5();
  assert.equal(readFileSync(RULES_FILE, 'utf8'), renderRules(map), 'run scripts/fts5-fold-rules.ts');
  assert.equal(readFileSync(SEPARATORS_FILE, 'utf8'), renderSeparatorsModule(map), 'run scripts/fts5-fold-rules.ts');
});

describe('text search folds alike on both engines', () => {
  const [sqliteUnderTest, postgresUnderTest] = enginesUnderTest();
  let sqlite: Engine;
  let postgres: Engine;
  const ids: number[] = [];

  test('the same requests are written to both stores', async () => {
    [sqlite, postgres] = await Promise.all([sqliteUnderTest!.open(), postgresUnderTest!.open()]);
    for (const db of [sqlite, postgres]) {
      await db.run('INSERT INTO jurisdictions (id, name, created_at) VALUES (?, ?, ?)', ['ville.example', 'Ville', 0]);
      const service = (await db.run("INSERT INTO services (jurisdiction_id, code, name, updated_at) VALUES ('ville.example', 'voirie', 'Voirie', 0) RETURNING id")).lastId;
      for (const word of WORDS) {
        const { lastId } = await db.run('INSERT INTO requests (jurisdiction_id, service_id, title, requested_at, updated_at) VALUES (?, ?, ?, 0, 0) RETURNING id', ['ville.example', service, word]);
        if (db === sqlite) ids.push(lastId!);
      }
      await db.run("INSERT INTO requests (jurisdiction_id, service_id, title, description, requested_at, updated_at) VALUES ('ville.example', ?, 'rue', 'pavée', 0, 0)", [service]);
    }
  });

  test('each text gives PostgreSQL the words FTS5 indexed', async () => {
    await sqlite.run('CREATE VIRTUAL TABLE temp.fts_tokens USING fts5vocab(main, requests_fts, instance)');
    const tokens = await sqlite.query<{ doc: number; term: string }>('SELECT doc, term FROM temp.fts_tokens ORDER BY doc, col, "offset"');
    for (const [i, word] of WORDS.entries()) {
      const fts5 = tokens.filter((t) => t.doc === ids[i]).map((t) => t.term);
      const pg = (await postgres.one<{ words: string[] }>('SELECT georeport_words(?) AS words', [word]))!.words;
      assert.ok(fts5.length > 0, word);
      assert.deepEqual(pg, fts5, word);
    }
  });

  test('each text is found by its folded words as a phrase on both, and no phrase spans two columns', async () => {
    for (const [i, word] of [...WORDS, 'rue pavée'].entries()) {
      const words = (await postgres.one<{ words: string[] }>('SELECT georeport_words(?) AS words', [word]))!.words;
      const fts5 = await sqlite.query<{ id: number }>('SELECT rowid AS id FROM requests_fts WHERE requests_fts MATCH ? ORDER BY rowid', [`"${words.join(' ')}"`]);
      const pg = await postgres.query<{ id: number }>('SELECT id FROM requests WHERE search @@ CAST(? AS tsquery) ORDER BY id', [words.map((w) => `'${w}'`).join(' <-> ')]);
      assert.deepEqual(pg, fts5, word);
      if (i < WORDS.length) assert.ok(fts5.some((r) => r.id === ids[i]), word);
      else assert.deepEqual(fts5, [], 'a phrase across title and description matched');
    }
  });
});
