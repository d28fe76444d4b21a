import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createTestApp } from '../helpers/app.ts';
import { admin, createStaff, PASSWORD, staffWith } from '../helpers/admin.ts';

describe('security: guessing staff passwords', () => {
  test('item 7: sixty wrong passwords sent at once for one account are not all tried (5 per e-mail)', async () => {
    const t = await createTestApp();
    await createStaff(t, 'maire@ville.example', { 'ville.example': 'administrator' });
    const guesses = Array.from({ length: 60 }, (_, i) => admin(t, null, 'POST', 'session', { email: 'maire@ville.example', password: `guess ${i}` }));
    const statuses = (await Promise.all(guesses)).map((r) => r.status);
    assert.ok(statuses.filter((s) => s === 401).length <= 5, `tried: ${statuses.filter((s) => s === 401).length}`);
    assert.equal(statuses.filter((s) => s === 429).length, 60 - statuses.filter((s) => s === 401).length, 'the others refused unread');
    assert.equal((await admin(t, null, 'POST', 'session', { email: 'maire@ville.example', password: PASSWORD })).status, 429, 'even the right password waits');
  });

  test('item 7: twenty concurrent wrong passwords per address are the most tried, across accounts', async () => {
    const t = await createTestApp();
    const guesses = Array.from({ length: 40 }, (_, i) => admin(t, null, 'POST', 'session', { email: `who${i}@ville.example`, password: 'guess' }));
    const tried = (await Promise.all(guesses)).filter((r) => r.status === 401).length;
    assert.ok(tried <= 20, `tried: ${tried}`);
  });

  test('item 7: a password change guessed concurrently is throttled the same way', async () => {
    const t = await createTestApp();
    const s = await staffWith(t, 'agent');
    const guesses = Array.from({ length: 30 }, (_, i) => admin(t, s, 'POST', 'password', { current_password: `guess ${i}`, new_password: 'a brand new passphrase' }));
    const tried = (await Promise.all(guesses)).filter((r) => r.status === 403).length;
    assert.ok(tried <= 5, `tried: ${tried}`);
  });
});
