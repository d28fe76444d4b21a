import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Engine, Queryable } from '../../server/db/engine.ts';
import { openDatabase } from '../../server/db/database.ts';
import { createSqliteEngine } from '../../server/db/sqlite-engine.ts';
import { enginesUnderTest } from '../helpers/engines.ts';

/** A jurisdiction, so that audit entries and requests can be written. */
async function town(db: Queryable, id = 'ville.example'): Promise<void> {
  await db.run('INSERT INTO jurisdictions (id, name, created_at) VALUES (?, ?, ?)', [id, 'Ville', 1_700_000_000]);
}

const logEntry = (db: Queryable, action: string) =>
  db.run('INSERT INTO audit_log (at, actor, action) VALUES (?, ?, ?) RETURNING id', [1_700_000_000, 'test', action]);

const actions = async (db: Queryable) =>
  (await db.query<{ action: string }>('SELECT action FROM audit_log ORDER BY id')).map((r) => r.action);

for (const engine of enginesUnderTest()) {
  describe(`the database interface on ${engine.name}`, () => {
    test('query, one and run read and write rows; RETURNING id gives lastId', async () => {
      const db = await engine.open();
      assert.deepEqual(await town(db), undefined);
      assert.deepEqual(await db.run("UPDATE jurisdictions SET contact = 'x' WHERE id = ?", ['ville.example']), { changes: 1 });
      assert.deepEqual(await db.run("UPDATE jurisdictions SET contact = 'y' WHERE id = ?", ['nowhere']), { changes: 0 });
      assert.deepEqual(await logEntry(db, 'first'), { changes: 1, lastId: 1 });
      assert.deepEqual(await logEntry(db, 'second'), { changes: 1, lastId: 2 });
      assert.deepEqual(await db.query('SELECT id, action FROM audit_log ORDER BY id'), [
        { id: 1, action: 'first' },
        { id: 2, action: 'second' },
      ]);
      assert.deepEqual(await db.one('SELECT action FROM audit_log WHERE id = ?', [2]), { action: 'second' });
      assert.equal(await db.one('SELECT action FROM audit_log WHERE id = ?', [3]), undefined);
      assert.deepEqual(await db.query("DELETE FROM audit_log WHERE action = 'nothing'"), []);
    });

    test('values reads rows as arrays in the order selected, numbers as numbers, and leaves query on objects', async () => {
      const db = await engine.open();
      await db.run('INSERT INTO audit_log (at, actor, action) VALUES (?, ?, ?)', [2 ** 40 + 3, 'test', 'far']);
      await logEntry(db, 'near');
      const sql = 'SELECT action, at, id FROM audit_log WHERE at > ? ORDER BY id';
      assert.deepEqual(await db.values(sql, [0]), [['far', 2 ** 40 + 3, 1], ['near', 1_700_000_000, 2]]);
      assert.deepEqual(await db.values(sql, [2 ** 41]), []);
      // The same statement text read as objects again afterwards (SQLite keeps one prepared statement per text).
      assert.deepEqual(await db.query(sql, [2 ** 40]), [{ action: 'far', at: 2 ** 40 + 3, id: 1 }]);
      assert.deepEqual(await db.transaction((tx) => tx.values('SELECT count(*), max(id) FROM audit_log')), [[2, 2]]);
    });

    test('a named placeholder used twice takes one value (an optional filter, typed by a cast)', async () => {
      const db = await engine.open();
      await logEntry(db, 'kept');
      await logEntry(db, 'other');
      const filtered = 'SELECT count(*) AS n FROM audit_log WHERE (CAST(@action AS TEXT) IS NULL OR action = @action)';
      assert.deepEqual(await db.one(filtered, { action: 'kept' }), { n: 1 });
      assert.deepEqual(await db.one(filtered, { action: null }), { n: 2 });
    });

    test('integers read as numbers, beyond 32 bits and from count and sum', async () => {
      const db = await engine.open();
      await db.run('INSERT INTO audit_log (at, actor, action) VALUES (?, ?, ?)', [2 ** 40 + 3, 'test', 'far']);
      await logEntry(db, 'near');
      const row = await db.one('SELECT max(at) AS at, count(*) AS n, sum(at) AS total FROM audit_log');
      assert.deepEqual(row, { at: 2 ** 40 + 3, n: 2, total: 2 ** 40 + 3 + 1_700_000_000 });
    });

    test('booleans bind as 1/0 and comparisons read as 1/0', async () => {
      const db = await engine.open();
      assert.deepEqual(await db.one('SELECT (? = 1) AS yes, (? = 1) AS no', [true, false]), { yes: 1, no: 0 });
    });

    test('JSON is written as given and reads back the same text', async () => {
      const db = await engine.open();
      const detail = { b: 1, a: ['é', null, { deep: true }] };
      await db.run('INSERT INTO audit_log (at, actor, action, detail) VALUES (?, ?, ?, ?)', [1, 'test', 'json', detail]);
      const row = await db.one<{ detail: string }>('SELECT detail FROM audit_log');
      assert.equal(row?.detail, JSON.stringify(detail));
      assert.deepEqual(JSON.parse(row!.detail), detail);
      await assert.rejects(db.run('INSERT INTO audit_log (at, actor, action, detail) VALUES (?, ?, ?, ?)', [1, 'test', 'bad', '{nope']));
    });

    test('a transaction commits what it did, or nothing when it throws', async () => {
      const db = await engine.open();
      const value = await db.transaction(async (tx) => {
        await logEntry(tx, 'one');
        await logEntry(tx, 'two');
        return 'done';
      });
      assert.equal(value, 'done');
      await assert.rejects(
        db.transaction(async (tx) => {
          await logEntry(tx, 'three');
          throw new Error('changed my mind');
        }),
        /changed my mind/,
      );
      assert.deepEqual(await actions(db), ['one', 'two']);
    });

    test('a nested transaction that fails undoes its own work only', async () => {
      const db = await engine.open();
      await db.transaction(async (tx) => {
        await logEntry(tx, 'outer');
        await assert.rejects(
          tx.transaction(async (inner) => {
            await logEntry(inner, 'inner');
            await inner.run('INSERT INTO jurisdictions (id, name, created_at) VALUES (?, ?, ?)', [null, 'no id', 1]);
          }),
        );
        await tx.transaction((inner) => logEntry(inner, 'inner kept'));
        await logEntry(tx, 'after');
      });
      assert.deepEqual(await actions(db), ['outer', 'inner kept', 'after']);
    });

    test("a transaction's handle refuses statements once it has ended", async () => {
      const db = await engine.open();
      let kept: Queryable | undefined;
      await db.transaction((tx) => void (kept = tx));
      await assert.rejects(kept!.run("DELETE FROM audit_log"), /transaction has ended/);
    });

    test("the engine refuses a statement from inside its own transaction (the handle is meant)", async () => {
      const db = await engine.open();
      await db.transaction(async (tx) => {
        await logEntry(tx, 'through the handle');
        await assert.rejects(db.one('SELECT count(*) AS n FROM audit_log'), /use the transaction's handle/);
        await assert.rejects(db.transaction(() => undefined), /use the transaction's handle/);
      });
      assert.deepEqual(await actions(db), ['through the handle']);
    });

    test('transactions side by side: each commits or rolls back its own statements only', async () => {
      const db = await engine.open();
      const writer = (name: string, fail: boolean) =>
        db.transaction(async (tx) => {
          for (let i = 0; i < 5; i++) {
            await logEntry(tx, `${name}${i}`);
            await new Promise((resolve) => setImmediate(resolve));
          }
          if (fail) throw new Error(`${name} fails`);
        });
      const outcomes = await Promise.allSettled([writer('a', false), writer('b', true), writer('c', false)]);
      assert.deepEqual(outcomes.map((o) => o.status), ['fulfilled', 'rejected', 'fulfilled']);
      assert.deepEqual((await actions(db)).sort(), ['a0', 'a1', 'a2', 'a3', 'a4', 'c0', 'c1', 'c2', 'c3', 'c4']);
    });

    test('a read outside a transaction never sees half of it', async () => {
      const db = await engine.open();
      let halfWritten!: () => void;
      const half = new Promise<void>((resolve) => (halfWritten = resolve));
      const writing = db.transaction(async (tx) => {
        await logEntry(tx, 'first half');
        halfWritten();
        await new Promise((resolve) => setImmediate(resolve));
        await logEntry(tx, 'second half');
      });
      await half;
      const seen = await db.one<{ n: number }>('SELECT count(*) AS n FROM audit_log');
      await writing;
      assert.ok(seen?.n === 0 || seen?.n === 2, `saw ${seen?.n} rows`);
    });

    test('close waits for nothing more and ends the engine', async () => {
      const db: Engine = await engine.open();
      await town(db);
      assert.equal(db.kind, engine.name);
    });
  });
}

test('on SQLite, a savepoint that a full store rolled back with its whole transaction fails that transaction: nothing after it is kept', async (t) => {
  const db = openDatabase(':memory:');
  const engine = createSqliteEngine(db);
  t.after(() => engine.close());
  await logEntry(engine, 'before');
  db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`); // not one page more
  const code = (e: unknown) => (e as { code?: string }).code;
  const outcome = await engine
    .transaction(async (tx) => {
      // As group commit does: each write in its savepoint, its failure caught, the others carrying on.
      await tx.transaction((s) => s.run('INSERT INTO audit_log (at, actor, action) VALUES (?, ?, ?)', [1, 'test', 'x'.repeat(100_000)])).catch(code);
      await tx.transaction((s) => logEntry(s, 'after')).catch(code); // fits in a page the store has
      return 'committed';
    })
    .catch(code);
  assert.equal(outcome, 'SQLITE_FULL');
  assert.deepEqual(await actions(engine), ['before']);
});
