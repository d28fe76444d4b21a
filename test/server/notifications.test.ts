import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createRetention } from '../../server/admin/retention.ts';
import type { SqlValue } from '../../server/db/engine.ts';
import { openDatabase } from '../../server/db/database.ts';
import { migrate } from '../../server/db/migrate.ts';
import { migrations } from '../../server/db/migrations/index.ts';
import { confirmedFollowers } from '../../server/db/migrations/009-confirmed-followers.ts';
import { createLogger } from '../../server/logger.ts';
import { confirmationMail, statusMail } from '../../server/notify/messages.ts';
import { createAssignmentMailsStore } from '../../server/notify/assignments.store.ts';
import { createConfirmationsStore } from '../../server/notify/confirmations.store.ts';
import { MAX_ATTEMPTS } from '../../server/notify/delivery.ts';
import { createNotificationsStore } from '../../server/notify/notifications.store.ts';
import { createNotifier } from '../../server/notify/notifier.ts';
import { createMailer } from '../../server/notify/mailer.ts';
import { createUpdatesStore } from '../../server/requests/updates.store.ts';
import { addServices, createTestApp, type TestApp } from '../helpers/app.ts';
import { confirmEmail, file, pothole } from '../helpers/georeport.ts';

const now = (t: TestApp) => Math.floor(t.clock.ms / 1000);
const update = (t: TestApp, id: string, fields: { status?: 'fixed' | 'in_progress' | null; note?: string; public?: boolean }) =>
  createUpdatesStore(t.engine).add({
    jurisdictionId: 'ville.example', requestId: Number(id), detailedStatus: fields.status === undefined ? 'in_progress' : fields.status,
    note: fields.note ?? null, public: fields.public ?? true, actor: 'staff:1', updateId: null, expectedAt: null, now: now(t),
  });
const owed = (t: TestApp) => createNotificationsStore(t.engine).due(now(t) + 1, 100);
const asked = (t: TestApp) => createConfirmationsStore(t.engine).due(now(t) + 1, 100);
/** The first column of the first row a statement returns (undefined without a row). */
const pluck = async (t: TestApp, sql: string, params: SqlValue[] = []) => Object.values((await t.engine.one(sql, params)) ?? {})[0];
const tokenOf = async (t: TestApp, email: string) => (await pluck(t, 'SELECT token FROM followers WHERE email = ?', [email])) as string;
/** The token of the newest confirmation link mailed (or owed) to `email`. */
const confirmTokenOf = async (t: TestApp, email: string) =>
  (await pluck(t, 'SELECT c.token FROM confirmations c JOIN followers f ON f.id = c.follower_id WHERE f.email = ? ORDER BY c.id DESC', [email])) as string;
const page = (t: TestApp, path: string, init?: RequestInit) => t.app.request(`http://localhost/${path}`, init);

/** A link's page asking in French, under the strict policy, to confirm what it does to request `id`: a button, nothing done yet. */
async function assertAskPage(shown: Response, id: string) {
  assert.equal(shown.status, 200);
  assert.match(shown.headers.get('content-security-policy')!, /default-src 'none'/);
  const html = await shown.text();
  assert.match(html, /<html lang="fr">/);
  assert.match(html, new RegExp(`signalement n° ${id}`));
  assert.match(html, /<form method="post"><button type="submit">Confirmer<\/button><\/form>/);
}

/** A request with its reporter and a neighbour asking for news (both confirmed), one who did not, and one without e-mail. */
async function followed(t: TestApp) {
  const id = await file(t, pothole(t, { email: 'auteur@exemple.fr', email_updates: 'true', locale: 'en', address_string: '12 rue Haute' }));
  await t.post(`requests/${id}/followers.json`, { api_key: t.key, device_id: 'd1', email: 'voisin@exemple.fr', email_updates: 'true', locale: 'fr' });
  await t.post(`requests/${id}/followers.json`, { api_key: t.key, device_id: 'd2', email: 'muet@exemple.fr' }); // no news asked
  await t.post(`requests/${id}/followers.json`, { api_key: t.key, device_id: 'd3' });
  for (const email of ['auteur@exemple.fr', 'voisin@exemple.fr']) await confirmEmail(t, email);
  return id;
}

describe('confirming an address (double opt-in)', () => {
  test('asking for news owes one confirmation e-mail, in the follower’s language, and no status e-mail until it is confirmed', async () => {
    const t = await createTestApp();
    const id = await file(t, pothole(t, { email: 'auteur@exemple.fr', email_updates: 'true', locale: 'en', address_string: '12 rue Haute' }));
    await t.post(`requests/${id}/followers.json`, { api_key: t.key, device_id: 'd1', email: 'voisin@exemple.fr', email_updates: 'true', locale: 'fr' });
    await t.post(`requests/${id}/followers.json`, { api_key: t.key, device_id: 'd1', email: 'voisin@exemple.fr', email_updates: 'true', locale: 'fr' });
    await t.post(`requests/${id}/followers.json`, { api_key: t.key, device_id: 'd2', email: 'muet@exemple.fr' });
    const due = (await asked(t));
    assert.deepEqual(due.map((c) => [c.email, c.locale]), [['auteur@exemple.fr', 'en'], ['voisin@exemple.fr', 'fr']], 'one each, none for who asked no news');
    assert.equal(due[0]!.serviceName, 'Pothole');
    await update(t, id, { status: 'fixed' });
    assert.deepEqual((await owed(t)), [], 'nothing owed to unconfirmed addresses');

    const links = { page: `https://311.ville.example/requests/${id}`, action: 'https://311.ville.example/confirm/abc' };
    const fr = confirmationMail(due[1]!, links);
    assert.equal(fr.subject, `Confirmez votre adresse pour suivre le signalement n° ${id}`);
    assert.match(fr.text, /Adresse : 12 rue Haute/);
    assert.match(fr.text, /appuyez sur « Confirmer » \(il est valable 7 jours\) :\nhttps:\/\/311\.ville\.example\/confirm\/abc\n/);
    assert.match(fr.text, new RegExp(`Voir le signalement :\\nhttps://311\\.ville\\.example/requests/${id}\\n`), 'a link to its page');
    assert.match(fr.text, /ignorez ce message/);
    assert.equal(fr.language, 'fr');
    const en = confirmationMail(due[0]!, links);
    assert.equal(en.subject, `Confirm your address to follow report #${id}`);
    assert.match(en.text, /Category: Pothole/);
    assert.match(en.text, new RegExp(`See the report:\\nhttps://311\\.ville\\.example/requests/${id}\\n`));
    assert.equal(en.language, 'en');
  });

  test('the e-mails about a report still held for moderation say its page shows once the city approves it', async () => {
    const t = await createTestApp();
    await addServices(t, [{ code: 'affichage', name: 'Affichage sauvage', moderation: 'hold' }]);
    const id = await file(t, { api_key: t.key, service_code: 'affichage', lat: '47.39', long: '0.68', email: 'auteur@exemple.fr', email_updates: 'true', locale: 'fr' });
    const [due] = (await asked(t));
    assert.equal(due!.published, false);
    assert.match(confirmationMail(due!, { page: `https://311.ville.example/requests/${id}`, action: 'x' }).text, /Sa page, visible une fois le signalement validé par la ville :\n/);
  });

  test('the link shows what it does and a button; only pressing it confirms, once, within a week', async () => {
    const t = await createTestApp();
    const id = await file(t, pothole(t));
    await t.post(`requests/${id}/followers.json`, { api_key: t.key, email: 'voisin@exemple.fr', email_updates: 'true', locale: 'fr' });
    const token = await confirmTokenOf(t, 'voisin@exemple.fr');
    await assertAskPage(await page(t, `confirm/${token}`), id);
    assert.equal(await pluck(t, 'SELECT confirmed_at FROM followers'), null, 'looking changes nothing');

    const done = await page(t, `confirm/${token}`, { method: 'POST' });
    assert.match(await done.text(), /C’est fait/);
    await update(t, id, { status: 'fixed' });
    assert.deepEqual((await owed(t)).map((n) => n.email), ['voisin@exemple.fr']);
    assert.match(await (await page(t, `confirm/${token}`)).text(), /déjà servi/, 'used once');
    assert.doesNotMatch(await (await page(t, `confirm/${token}`, { method: 'POST' })).text(), /<form/);

    await t.post(`requests/${id}/followers.json`, { api_key: t.key, email: 'autre@exemple.fr', email_updates: 'true', locale: 'en' });
    t.clock.ms += 7 * 86_400_000 + 1000;
    const late = await page(t, `confirm/${await confirmTokenOf(t, 'autre@exemple.fr')}`, { method: 'POST' });
    assert.equal(late.status, 404, 'after a week the link is spent');
    assert.equal(await pluck(t, "SELECT confirmed_at FROM followers WHERE email = 'autre@exemple.fr'"), null);
  });

  test('one mailbox is asked at most 3 times an hour and 6 a day, however it is spelt; a follower asked twice before sending is asked once', async () => {
    const t = await createTestApp();
    const ids: string[] = [];
    for (let i = 0; i < 8; i++) ids.push(await file(t, pothole(t, { lat: String(47.39 + i * 0.002) })));
    const spellings = ['Jo.Doe@Exemple.fr', 'jodoe+a@exemple.fr', 'jo.doe+b@EXEMPLE.FR'];
    const followAll = async () => {
      for (const [i, id] of ids.entries()) await t.post(`requests/${id}/followers.json`, { api_key: t.key, email: spellings[i % 3]!, email_updates: 'true' });
    };
    const count = () => pluck(t, 'SELECT count(*) FROM confirmations');
    await t.post(`requests/${ids[0]}/followers.json`, { api_key: t.key, email: 'jodoe@exemple.fr', email_updates: 'true' });
    await t.post(`requests/${ids[0]}/followers.json`, { api_key: t.key, email: 'jodoe@exemple.fr', email_updates: 'true' });
    assert.equal(await count(), 1, 'the second ask waits on the first');
    await followAll();
    assert.equal(await count(), 3, 'three an hour');
    t.clock.ms += 3600_000;
    await followAll();
    assert.equal(await count(), 6);
    t.clock.ms += 3600_000;
    await followAll();
    assert.equal(await count(), 6, 'six a day');
    await t.post(`requests/${ids[7]}/followers.json`, { api_key: t.key, email: 'quelqu.un@exemple.fr', email_updates: 'true' });
    assert.equal(await count(), 7, 'another mailbox has caps of its own');
  });

  test('the hourly purge deletes confirmation links once their week is over', async () => {
    const t = await createTestApp();
    const id = await file(t, pothole(t));
    await t.post(`requests/${id}/followers.json`, { api_key: t.key, email: 'voisin@exemple.fr', email_updates: 'true' });
    const purge = (days: number) => createRetention(t.engine, 12).purge(now(t) + days * 86_400);
    const left = () => pluck(t, 'SELECT count(*) FROM confirmations');
    await purge(6);
    assert.equal(await left(), 1, 'still valid');
    await purge(8);
    assert.equal(await left(), 0);
  });

  test('followers who asked for news before the upgrade keep receiving it; the others are not taken as confirmed', () => {
    // SQLite's own migration 009 on a SQLite file (PostgreSQL's schema is checked in pg-schema.test.ts).
    const db = openDatabase(':memory:', { migrate: false });
    const before = migrations.indexOf(confirmedFollowers); // the store as it was just before that migration
    for (const sql of migrations.slice(0, before)) db.exec(sql);
    db.pragma(`user_version = ${before}`);
    db.pragma('foreign_keys = OFF');
    const insert = db.prepare("INSERT INTO followers (request_id, kind, email, locale, notify, token, created_at, unsubscribed_at) VALUES (1, 'supporter', ?, 'fr', ?, ?, 100, ?)");
    insert.run('informee@exemple.fr', 1, 'token-informee-0000000000', null);
    insert.run('partie@exemple.fr', 1, 'token-partie-00000000000000', 200);
    insert.run(null, 0, 'token-sans-adresse-000000000', null);
    migrate(db);
    assert.deepEqual(db.prepare('SELECT email, confirmed_at, unsubscribed_at FROM followers ORDER BY id').all(), [
      { email: 'informee@exemple.fr', confirmed_at: 100, unsubscribed_at: null },
      { email: 'partie@exemple.fr', confirmed_at: 100, unsubscribed_at: 200 },
      { email: null, confirmed_at: null, unsubscribed_at: null },
    ]);
  });
});

describe('e-mails owed to followers', () => {
  test('a public status change owes one e-mail to each follower who asked; notes and internal changes owe none', async () => {
    const t = await createTestApp();
    const id = await followed(t);
    await update(t, id, { status: null, note: 'Un agent est passé' });
    await update(t, id, { status: 'in_progress', note: 'Note interne', public: false });
    assert.deepEqual((await owed(t)), []);
    await update(t, id, { status: 'fixed', note: 'Rebouché ce matin' });
    const due = (await owed(t));
    assert.deepEqual(due.map((n) => [n.email, n.locale, n.kind]).sort(), [['auteur@exemple.fr', 'en', 'reporter'], ['voisin@exemple.fr', 'fr', 'supporter']]);
    assert.ok(due.every((n) => n.detailedStatus === 'fixed' && n.note === 'Rebouché ce matin' && n.requestId === Number(id)));
    assert.equal(due.find((n) => n.locale === 'en')!.serviceName, 'Pothole', 'the category in the follower’s language');
  });

  test('the message is plain text in the follower’s language, with the note as sent and the unsubscribe link', async () => {
    const t = await createTestApp();
    const id = await followed(t);
    await update(t, id, { status: 'fixed', note: '<b>Réparé</b> & nettoyé' });
    for (const n of (await owed(t))) {
      const mail = statusMail(n, { page: `https://311.ville.example/requests/${id}`, action: 'https://311.ville.example/unsubscribe/abc' }, 'Europe/Paris');
      assert.match(mail.text, /<b>Réparé<\/b> & nettoyé/, 'markup stays text');
      assert.match(mail.text, /https:\/\/311\.ville\.example\/unsubscribe\/abc/);
      assert.match(mail.text, new RegExp(`\\nhttps://311\\.ville\\.example/requests/${id}\\n`), 'a link to its page');
      if (n.locale === 'fr') {
        assert.equal(mail.subject, `Signalement n° ${id} : Résolu`, 'the widget’s words');
        assert.match(mail.text, /Voir le signalement :/);
        assert.match(mail.text, /que vous suivez/);
        assert.match(mail.text, /Adresse : 12 rue Haute/);
        assert.equal(mail.language, 'fr');
      } else {
        assert.equal(mail.subject, `Report #${id}: Fixed`);
        assert.match(mail.text, /which you made/);
        assert.match(mail.text, /Category: Pothole/);
        assert.equal(mail.language, 'en');
      }
    }
  });

  test('an e-mail that cannot be sent is tried again later, then given up', async () => {
    const t = await createTestApp();
    const id = await followed(t);
    await update(t, id, { status: 'fixed' });
    const store = createNotificationsStore(t.engine);
    const mailer = createMailer('smtp://127.0.0.1:1', 'x@y.fr');
    const notifier = createNotifier({ notifications: store, confirmations: createConfirmationsStore(t.engine), assignments: createAssignmentMailsStore(t.engine) }, mailer, { publicUrl: 'http://localhost/', timeZone: 'UTC' }, createLogger('silent'));
    assert.equal(await notifier.deliver(now(t)), 0);
    const attempts = () => t.engine.query<{ attempts: number; next_attempt_at: number; failed_at: number | null }>('SELECT attempts, next_attempt_at, failed_at FROM notifications ORDER BY id');
    assert.ok((await attempts()).every((a) => a.attempts === 1 && a.next_attempt_at > now(t) && a.failed_at === null), 'kept, for later');
    assert.deepEqual(await store.due(now(t), 10), [], 'not before its time');
    for (let i = 1; i < MAX_ATTEMPTS; i++) {
      t.clock.ms += 7 * 3600_000;
      await notifier.deliver(now(t));
    }
    assert.ok((await attempts()).every((a) => a.attempts === MAX_ATTEMPTS && a.failed_at !== null), 'given up');
    mailer.close();
  });
});

describe('the unsubscribe link', () => {
  test('shows what it will do, in the follower’s language, and does it on confirmation; no more e-mails after', async () => {
    const t = await createTestApp();
    const id = await followed(t);
    const token = await tokenOf(t, 'voisin@exemple.fr');
    await assertAskPage(await page(t, `unsubscribe/${token}`), id);
    assert.equal(await pluck(t, 'SELECT unsubscribed_at FROM followers WHERE token = ?', [token]), null, 'looking changes nothing');

    const done = await page(t, `unsubscribe/${token}`, { method: 'POST', body: 'List-Unsubscribe=One-Click', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.equal(done.status, 200);
    assert.match(await done.text(), /C’est fait/);
    await update(t, id, { status: 'fixed' });
    assert.deepEqual((await owed(t)).map((n) => n.email), ['auteur@exemple.fr']);
    assert.match(await (await page(t, `unsubscribe/${token}`)).text(), /déjà plus/);
  });

  test('an unknown or malformed token is a 404 page, in both languages', async () => {
    const t = await createTestApp();
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
