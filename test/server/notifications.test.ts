import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createLogger } from '../../server/logger.ts';
import { statusMail } from '../../server/notify/messages.ts';
import { createNotificationsStore, MAX_ATTEMPTS } from '../../server/notify/notifications.store.ts';
import { createNotifier } from '../../server/notify/notifier.ts';
import { createMailer } from '../../server/notify/mailer.ts';
import { createUpdatesStore } from '../../server/requests/updates.store.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { file, pothole } from '../helpers/georeport.ts';

const now = (t: TestApp) => Math.floor(t.clock.ms / 1000);
const update = (t: TestApp, id: string, fields: { status?: 'fixed' | 'in_progress' | null; note?: string; public?: boolean }) =>
  createUpdatesStore(t.db).add({
    jurisdictionId: 'ville.example', requestId: Number(id), detailedStatus: fields.status === undefined ? 'in_progress' : fields.status,
    note: fields.note ?? null, public: fields.public ?? true, actor: 'staff:1', updateId: null, expectedAt: null, now: now(t),
  });
const owed = (t: TestApp) => createNotificationsStore(t.db).due(now(t) + 1, 100);
const tokenOf = (t: TestApp, email: string) => (t.db.prepare('SELECT token FROM followers WHERE email = ?').get(email) as { token: string }).token;
const page = (t: TestApp, path: string, init?: RequestInit) => t.app.request(`http://localhost/${path}`, init);

async function followed(t: TestApp) {
  const id = await file(t, pothole(t, { email: 'auteur@exemple.fr', email_updates: 'true', locale: 'en', address_string: '12 rue Haute' }));
  await t.post(`requests/${id}/followers.json`, { api_key: t.key, device_id: 'd1', email: 'voisin@exemple.fr', email_updates: 'true', locale: 'fr' });
  await t.post(`requests/${id}/followers.json`, { api_key: t.key, device_id: 'd2', email: 'muet@exemple.fr' }); // no news asked
  await t.post(`requests/${id}/followers.json`, { api_key: t.key, device_id: 'd3' });
  return id;
}

describe('e-mails owed to followers', () => {
  test('a public status change owes one e-mail to each follower who asked; notes and internal changes owe none', async () => {
    const t = createTestApp();
    const id = await followed(t);
    update(t, id, { status: null, note: 'Un agent est passé' });
    update(t, id, { status: 'in_progress', note: 'Note interne', public: false });
    assert.deepEqual(owed(t), []);
    update(t, id, { status: 'fixed', note: 'Rebouché ce matin' });
    const due = owed(t);
    assert.deepEqual(due.map((n) => [n.email, n.locale, n.kind]).sort(), [['auteur@exemple.fr', 'en', 'reporter'], ['voisin@exemple.fr', 'fr', 'supporter']]);
    assert.ok(due.every((n) => n.detailedStatus === 'fixed' && n.note === 'Rebouché ce matin' && n.requestId === Number(id)));
    assert.equal(due.find((n) => n.locale === 'en')!.serviceName, 'Pothole', 'the category in the follower’s language');
  });

  test('the message is plain text in the follower’s language, with the note as sent and the unsubscribe link', async () => {
    const t = createTestApp();
    const id = await followed(t);
    update(t, id, { status: 'fixed', note: '<b>Réparé</b> & nettoyé' });
    for (const n of owed(t)) {
      const mail = statusMail(n, 'https://311.ville.example/unsubscribe/abc', 'Europe/Paris');
      assert.match(mail.text, /<b>Réparé<\/b> & nettoyé/, 'markup stays text');
      assert.match(mail.text, /https:\/\/311\.ville\.example\/unsubscribe\/abc/);
      if (n.locale === 'fr') {
        assert.equal(mail.subject, `Signalement n° ${id} : résolu`);
        assert.match(mail.text, /que vous suivez/);
        assert.match(mail.text, /Adresse : 12 rue Haute/);
        assert.equal(mail.language, 'fr');
      } else {
        assert.equal(mail.subject, `Report #${id}: fixed`);
        assert.match(mail.text, /which you made/);
        assert.match(mail.text, /Category: Pothole/);
        assert.equal(mail.language, 'en');
      }
    }
  });

  test('an e-mail that cannot be sent is tried again later, then given up', async () => {
    const t = createTestApp();
    const id = await followed(t);
    update(t, id, { status: 'fixed' });
    const store = createNotificationsStore(t.db);
    const mailer = createMailer('smtp://127.0.0.1:1', 'x@y.fr');
    const notifier = createNotifier(store, mailer, { publicUrl: 'http://localhost/', timeZone: 'UTC' }, createLogger('silent'));
    assert.equal(await notifier.deliver(now(t)), 0);
    const attempts = () => t.db.prepare('SELECT attempts, next_attempt_at, failed_at FROM notifications ORDER BY id').all() as { attempts: number; next_attempt_at: number; failed_at: number | null }[];
    assert.ok(attempts().every((a) => a.attempts === 1 && a.next_attempt_at > now(t) && a.failed_at === null), 'kept, for later');
    assert.deepEqual(store.due(now(t), 10), [], 'not before its time');
    for (let i = 1; i < MAX_ATTEMPTS; i++) {
      t.clock.ms += 7 * 3600_000;
      await notifier.deliver(now(t));
    }
    assert.ok(attempts().every((a) => a.attempts === MAX_ATTEMPTS && a.failed_at !== null), 'given up');
    mailer.close();
  });
});

describe('the unsubscribe link', () => {
  test('shows what it will do, in the follower’s language, and does it on confirmation; no more e-mails after', async () => {
    const t = createTestApp();
    const id = await followed(t);
    const token = tokenOf(t, 'voisin@exemple.fr');
    const shown = await page(t, `unsubscribe/${token}`);
    assert.equal(shown.status, 200);
    assert.match(shown.headers.get('content-security-policy')!, /default-src 'none'/);
    const html = await shown.text();
    assert.match(html, /<html lang="fr">/);
    assert.match(html, new RegExp(`signalement n° ${id}`));
    assert.match(html, /<form method="post"><button type="submit">Confirmer<\/button><\/form>/);
    assert.equal(t.db.prepare('SELECT unsubscribed_at FROM followers WHERE token = ?').pluck().get(token), null, 'looking changes nothing');

    const done = await page(t, `unsubscribe/${token}`, { method: 'POST', body: 'List-Unsubscribe=One-Click', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.equal(done.status, 200);
    assert.match(await done.text(), /C’est fait/);
    update(t, id, { status: 'fixed' });
    assert.deepEqual(owed(t).map((n) => n.email), ['auteur@exemple.fr']);
    assert.match(await (await page(t, `unsubscribe/${token}`)).text(), /déjà plus/);
  });

  test('an unknown or malformed token is a 404 page, in both languages', async () => {
    const t = createTestApp();
    for (const token of ['AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', '<script>', '..%2F..%2Fetc']) {
      const res = await page(t, `unsubscribe/${token}`);
      assert.equal(res.status, 404, token);
      const html = await res.text();
      assert.match(html, /n’est pas ou plus valable/);
      assert.ok(!html.includes('<script>'));
      assert.equal((await page(t, `unsubscribe/${token}`, { method: 'POST' })).status, 404);
    }
  });
});
