import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bindValue, numberPlaceholders, orderedValues } from '../../server/db/sql-params.ts';

test('? placeholders are numbered in order, outside literals, identifiers and comments', () => {
  const n = numberPlaceholders(`SELECT '?', "a?b", ? -- why?\n, /* ? */ ?, $$ ? $$, ?`);
  assert.equal(n.text, `SELECT '?', "a?b", $1 -- why?\n, /* ? */ $2, $$ ? $$, $3`);
  assert.equal(n.count, 3);
  assert.equal(n.names, null);
});

test('a quote doubled inside a literal does not end it', () => {
  assert.equal(numberPlaceholders(`SELECT 'it''s ?', ?`).text, `SELECT 'it''s ?', $1`);
});

test('a name used twice gets one number, and operators spelt with @ stay operators', () => {
  const n = numberPlaceholders('SELECT @a IS NULL OR x @@ y OR g <@ h OR g @> @b OR @a = 1, e@mail');
  assert.equal(n.text, 'SELECT $1 IS NULL OR x @@ y OR g <@ h OR g @> $2 OR $1 = 1, e@mail');
  assert.deepEqual(n.names, ['a', 'b']);
  assert.deepEqual(orderedValues(n, { b: 2, a: 1, unused: 3 }), [1, 2]);
});

test('mixing the two placeholder styles, a missing name or a wrong count is refused', () => {
  assert.throws(() => numberPlaceholders('SELECT ?, @a'), /either \? or @name/);
  assert.throws(() => orderedValues(numberPlaceholders('SELECT @a, @b'), { a: 1 }), /missing named parameter @b/);
  assert.throws(() => orderedValues(numberPlaceholders('SELECT ?, ?'), [1]), /expected 2 values, got 1/);
  assert.throws(() => orderedValues(numberPlaceholders('SELECT ?'), { a: 1 }), /give an array/);
});

test('values are bound alike on both engines: booleans as 1/0, objects as JSON, undefined as NULL', () => {
  assert.equal(bindValue(true), 1);
  assert.equal(bindValue(false), 0);
  assert.equal(bindValue(undefined), null);
  assert.equal(bindValue({ b: 1, a: ['é'] }), '{"b":1,"a":["é"]}');
  assert.equal(bindValue(12n), 12n);
  const bytes = Buffer.from('hi');
  assert.equal(bindValue(bytes), bytes);
  assert.throws(() => bindValue(new Date()), /epoch seconds/);
});
