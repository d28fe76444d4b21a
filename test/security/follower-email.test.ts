/**
 * Issue 13, item 11: follower e-mails through the city's SMTP server. The attacker holds only the public
 * API key that any city page shows; mails go out through the real notifier to a real SMTP server process.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createLogger } from '../../server/logger.ts';
import { createAssignmentMailsStore } from '../../server/notify/assignments.store.ts';
import { createConfirmationsStore } from '../../server/notify/confirmations.store.ts';
import { createMailer, type Mailer } from '../../server/notify/mailer.ts';
import { createNotificationsStore } from '../../server/notify/notifications.store.ts';
import { createNotifier } from '../../server/notify/notifier.ts';
import type { DetailedStatus } from '../../server/requests/requests.types.ts';
import { createUpdatesStore } from '../../server/requests/updates.store.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { file, pothole } from '../helpers/georeport.ts';
import { startSmtpSink, type ReceivedMail, type SmtpSink } from '../helpers/smtp.ts';

let smtp: SmtpSink;
let mailer: Mailer;
before(async () => {
  smtp = await startSmtpSink();
  mailer = createMailer(smtp.url, 'Ville de Montclair <311@ville.example>');
});
after(async () => {
  mailer?.close();
  await smtp?.stop();
});

const HOUR = 3600_000;
const now = (t: TestApp) => Math.floor(t.clock.ms / 1000);
/** About `m` metres north of (47.39, 0.68): far enough apart, filings are separate requests. */
const north = (m: number) => String(47.39 + m / 111_195);

/** What the notifier sends now, as the SMTP server received it (it reports how many it sent, so none is missed). */
async function mailOut(t: TestApp): Promise<ReceivedMail[]> {
  const stores = { notifications: createNotificationsStore(t.engine), confirmations: createConfirmationsStore(t.engine), assignments: createAssignmentMailsStore(t.engine) };
  const notifier = createNotifier(stores, mailer, { publicUrl: 'http://localhost/', timeZone: 'Europe/Paris' }, createLogger('silent'));
  const start = smtp.received.length;
  let sent = 0;
  for (let n = await notifier.deliver(now(t)); n > 0; n = await notifier.deliver(now(t))) sent += n;
  return (await smtp.waitFor(start + sent)).slice(start);
}

/** The city moves every request in `ids` (a public status change, the kind that e-mails followers). */
async function cityUpdates(t: TestApp, ids: string[], status: DetailedStatus = 'in_progress') {
  for (const id of ids) {
    await createUpdatesStore(t.engine).add({
      jurisdictionId: 'ville.example', requestId: Number(id), detailedStatus: status, note: 'Équipe sur place', public: true,
      actor: 'staff:1', updateId: null, expectedAt: null, now: now(t),
    });
  }
}

/** Follows `id` asking for e-mails; returns the answer less the request's id and count. */
async function follow(t: TestApp, id: string, email: string, device: string) {
  const res = await t.post(`requests/${id}/followers.json`, { api_key: t.key, device_id: device, email, email_updates: 'true', locale: 'fr' });
  const body = (await res.json()) as Record<string, unknown>[];
  assert.equal(res.status, 200, JSON.stringify(body));
  const { followers: _count, service_request_id: _id, ...rest } = body[0]!;
  return JSON.stringify(rest);
}

const to = (mails: ReceivedMail[]) => mails.map((m) => m.envelope.to.join(','));
const confirmations = (mails: ReceivedMail[]) => mails.filter((m) => /\/confirm\/[A-Za-z0-9_-]+/.test(m.text));
const statusMails = (mails: ReceivedMail[]) => mails.filter((m) => /\/unsubscribe\/[A-Za-z0-9_-]+/.test(m.text));
/** The path of the first link to `kind` in a mail. */
const link = (m: ReceivedMail, kind: 'confirm' | 'unsubscribe') => new RegExp(`/${kind}/[A-Za-z0-9_-]+`).exec(m.text)![0];
const press = (t: TestApp, path: string, method = 'POST') => t.app.request(`http://localhost${path}`, { method });

describe('item 11: follower e-mails need the address owner’s confirmation', () => {
  test('item 11: following with someone else’s address (any case, +tags, dots) mails them at most 3 confirmations an hour and 6 a day, never a status e-mail, and every answer is the same', async () => {
    const t = await createTestApp();
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) ids.push(await file(t, pothole(t, { lat: north(i * 200) })));
    const variants = ['victime.dupont@gmail.com', 'Victime.Dupont@GMAIL.com', 'victime.dupont+311@gmail.com', 'victimedupont@gmail.com'];
    const answers = new Set<string>();
    const attack = async (round: string) => {
      for (const [i, id] of ids.entries()) for (const v of variants) answers.add(await follow(t, id, v, `attacker-${round}-${i}-${v}`));
    };

    await attack('a');
    await cityUpdates(t, ids);
    const mails = await mailOut(t);
    assert.deepEqual(to(statusMails(mails)), [], 'no status e-mail to an address that never confirmed');
    assert.ok(to(mails).every((address) => /^victime\.?dupont(\+311)?@gmail\.com$/i.test(address)), to(mails).join(' '));
    assert.equal(confirmations(mails).length, 3, 'three confirmation requests in the first hour, nothing else');
    assert.equal(mails.length, 3);

    t.clock.ms += HOUR;
    await attack('b');
    assert.equal(confirmations(await mailOut(t)).length, 3, 'three more the next hour');
    t.clock.ms += HOUR;
    await attack('c');
    assert.deepEqual(to(await mailOut(t)), [], 'six in a day is the most');
    await cityUpdates(t, ids, 'fixed');
    assert.deepEqual(to(await mailOut(t)), [], 'still no status e-mail');

    t.clock.ms += 24 * HOUR;
    answers.add(await follow(t, ids[0]!, 'voisin.inconnu@exemple.fr', 'someone-new'));
    assert.equal(answers.size, 1, `the answer never tells whether a mail went out: ${[...answers].join(' ')}`);
    assert.match([...answers][0]!, /"email_confirmation":"required"/, 'the widget is told a confirmation is needed');
  });

  test('item 11: the reporter’s email_updates=true needs confirmation too, under the same cap', async () => {
    const t = await createTestApp();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await file(t, pothole(t, { lat: north(i * 200), email: 'cible@exemple.fr', email_updates: 'true', locale: 'fr' })));
    await cityUpdates(t, ids, 'fixed');
    const mails = await mailOut(t);
    assert.deepEqual(to(statusMails(mails)), [], 'no status e-mail before the owner confirms');
    assert.deepEqual(to(mails), ['cible@exemple.fr', 'cible@exemple.fr', 'cible@exemple.fr'], 'three confirmations, for five filings');
    assert.equal(confirmations(mails).length, 3);
  });

  test('item 11: an address that unsubscribed is re-subscribed by no one but its owner pressing the new confirmation’s button', async () => {
    const t = await createTestApp();
    const id = await file(t, pothole(t));
    await follow(t, id, 'habitante@exemple.fr', 'her-phone');
    const [first] = await mailOut(t);
    assert.ok(first && confirmations([first]).length === 1, 'the owner is asked to confirm');
    const confirm = link(first, 'confirm');
    assert.equal((await press(t, confirm, 'GET')).status, 200, 'the link shows a page');
    await cityUpdates(t, [id]);
    assert.deepEqual(to(await mailOut(t)), [], 'opening the link (as a mail scanner does) confirms nothing');
    assert.equal((await press(t, confirm)).status, 200);
    await cityUpdates(t, [id], 'planned');
    const [news] = statusMails(await mailOut(t));
    assert.deepEqual(news?.envelope.to, ['habitante@exemple.fr'], 'confirmed, she hears of the change');
    assert.equal((await press(t, link(news, 'unsubscribe'))).status, 200, 'then she unsubscribes');

    await follow(t, id, 'habitante@exemple.fr', 'attacker-phone');
    await follow(t, id, 'Habitante@exemple.fr', 'her-phone');
    await press(t, confirm); // the old, used link again
    const asked = await mailOut(t);
    assert.deepEqual(statusMails(asked), []);
    assert.ok(asked.length <= 1, 'at most one new confirmation request');
    await cityUpdates(t, [id], 'fixed');
    assert.deepEqual(to(await mailOut(t)), [], 'following again re-enabled nothing');

    await press(t, link(asked[0]!, 'confirm'));
    await cityUpdates(t, [id], 'in_progress');
    assert.deepEqual(to(statusMails(await mailOut(t))), ['habitante@exemple.fr'], 'her pressing the new button does');
  });
});
