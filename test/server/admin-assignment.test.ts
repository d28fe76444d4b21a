import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createStaffStore } from '../../server/admin/staff.store.ts';
import { createLogger } from '../../server/logger.ts';
import { createAssignmentMailsStore } from '../../server/notify/assignments.store.ts';
import { createConfirmationsStore } from '../../server/notify/confirmations.store.ts';
import { createMailer, type Mailer } from '../../server/notify/mailer.ts';
import { createNotificationsStore } from '../../server/notify/notifications.store.ts';
import { createNotifier } from '../../server/notify/notifier.ts';
import { createTestApp, DEMO, type TestApp } from '../helpers/app.ts';
import { admin, createStaff, login, staffWith, type StaffSession } from '../helpers/admin.ts';
import { ack, busApp, lease } from '../helpers/bus.ts';
import { confirmEmail, file, pothole } from '../helpers/georeport.ts';
import { startSmtpSink, type ReceivedMail, type SmtpSink } from '../helpers/smtp.ts';

const J = `j/${DEMO}`;
type Json = Record<string, any>;

let smtp: SmtpSink;
let mailer: Mailer;
before(async () => {
  smtp = await startSmtpSink();
  mailer = createMailer(smtp.url, 'georeport@ville.example');
});
after(async () => {
  mailer?.close();
  await smtp?.stop();
});

/** A town whose server sends e-mail (through the real SMTP sink), with two agents and a read-only member, logged in. */
async function town() {
  const t = await createTestApp({ extraJurisdictions: ['autre.example'], config: { smtpUrl: smtp.url } });
  const claire = await createStaff(t, 'claire@ville.example', { [DEMO]: 'agent' });
  const karim = await createStaff(t, 'karim@ville.example', { [DEMO]: 'agent' });
  const lecteur = await createStaff(t, 'lecteur@ville.example', { [DEMO]: 'readonly' });
  const ailleurs = await createStaff(t, 'ailleurs@autre.example', { 'autre.example': 'agent' });
  for (const [id, name] of [[claire, 'Claire Martin'], [karim, 'Karim Benali']] as const) await t.engine.run('UPDATE staff_users SET name = ? WHERE id = ?', [name, id]);
  return { t, claire: await login(t, 'claire@ville.example'), karim, lecteur, ailleurs };
}

/** What the notifier sends now, as the SMTP server received it. */
async function mailOut(t: TestApp): Promise<ReceivedMail[]> {
  const stores = { notifications: createNotificationsStore(t.engine), confirmations: createConfirmationsStore(t.engine), assignments: createAssignmentMailsStore(t.engine) };
  const notifier = createNotifier(stores, mailer, { publicUrl: 'https://311.ville.example/', timeZone: 'Europe/Paris' }, createLogger('silent'));
  const start = smtp.received.length;
  let sent = 0;
  for (let n = await notifier.deliver(Math.floor(t.clock.ms / 1000)); n > 0; n = await notifier.deliver(Math.floor(t.clock.ms / 1000))) sent += n;
  return (await smtp.waitFor(start + sent)).slice(start);
}

/** Files a report in the demo town (the test server serves two), asserting success. */
const report = (t: TestApp, more: Record<string, string | string[]> = {}) => file(t, pothole(t, { jurisdiction_id: DEMO, ...more }));
const auditOf = async (t: TestApp, action: string) =>
  (await t.engine.query<{ actor: string; target: string; detail: string }>('SELECT actor, target, detail FROM audit_log WHERE action = ? ORDER BY id', [action]))
    .map((e) => ({ ...e, detail: JSON.parse(e.detail) as Json }));
const assigneeOf = async (t: TestApp, id: string) => (await t.engine.one<{ assignee_id: number | null }>('SELECT assignee_id FROM requests WHERE id = ?', [Number(id)]))!.assignee_id;
const put = (t: TestApp, s: StaffSession, id: string, staffId: unknown) => admin(t, s, 'PUT', `${J}/requests/${id}/assignee`, { staff_id: staffId });

describe('assignment to a person', () => {
  test('an agent takes a request, gives it to a colleague and takes it back from them; each change is audited with names', async () => {
    const { t, claire, karim } = await town();
    const id = await report(t);
    const taken = await put(t, claire, id, String(claire.id));
    assert.equal(taken.status, 200, JSON.stringify(taken.body));
    assert.deepEqual(taken.body.assignee, { id: String(claire.id), name: 'Claire Martin' }, 'the request says who has it');
    assert.equal((await put(t, claire, id, karim)).body.assignee.name, 'Karim Benali', 'a number works as well as a string');
    assert.equal((await put(t, claire, id, karim)).status, 200, 'again: nothing to change');
    assert.equal((await put(t, claire, id, null)).body.assignee, null);
    assert.deepEqual(await auditOf(t, 'request.assignee'), [
      { actor: `staff:${claire.id}`, target: `request:${id}`, detail: { from: null, to: { id: String(claire.id), name: 'Claire Martin' } } },
      { actor: `staff:${claire.id}`, target: `request:${id}`, detail: { from: { id: String(claire.id), name: 'Claire Martin' }, to: { id: String(karim), name: 'Karim Benali' } } },
      { actor: `staff:${claire.id}`, target: `request:${id}`, detail: { from: { id: String(karim), name: 'Karim Benali' }, to: null } },
    ], 'three changes, the repeated one not counted');
  });

  test('only staff who may act in the town are given its requests: not read-only members, not another town’s staff, nobody unknown', async () => {
    const { t, claire, lecteur, ailleurs } = await town();
    const id = await report(t);
    const before = (await auditOf(t, 'request.assignee')).length;
    for (const who of [lecteur, ailleurs, 999_999, 0, -1, 'karim', true, { id: 1 }]) {
      const { status, body } = await put(t, claire, id, who);
      assert.equal(status, 400, JSON.stringify(who));
      assert.match(body.error.message, /staff_id must be the id of staff who may act in ville\.example/);
    }
    assert.equal((await admin(t, claire, 'PUT', `${J}/requests/${id}/assignee`, {})).status, 400, 'staff_id is required');
    const theirs = await report(t, { jurisdiction_id: 'autre.example', api_key: t.updatesKey });
    assert.equal((await put(t, claire, theirs, claire.id)).status, 404, 'another town’s request is not found here');
    assert.equal(await assigneeOf(t, id), null);
    assert.equal((await auditOf(t, 'request.assignee')).length, before);
    const assignees = (await admin(t, claire, 'GET', `${J}/assignees`)).body.assignees as { id: string; name: string }[];
    assert.deepEqual(assignees.map((a) => a.name).sort(), ['Claire Martin', 'Karim Benali'], 'who may be chosen: the agents and administrators, by name');
  });

  test('someone who loses their role in the town, or is made read-only, no longer holds its requests', async () => {
    const { t, claire, karim } = await town();
    const [a, b] = [await report(t), await report(t)];
    await put(t, claire, a, karim);
    await put(t, claire, b, claire.id);
    const s = await staffWith(t, 'administrator');
    assert.equal((await admin(t, s, 'POST', `${J}/staff/${karim}/remove`)).status, 204);
    assert.equal(await assigneeOf(t, a), null);
    await createStaffStore(t.engine).setRole(claire.id, DEMO, 'readonly');
    assert.equal(await assigneeOf(t, b), null);
  });
});

describe('the assignee is told by e-mail', () => {
  test('given a request by a colleague, one e-mail names it and links to it; taking one oneself sends nothing', async () => {
    const { t, claire, karim } = await town();
    const id = await report(t, { address_string: '12 rue Nationale', email: 'habitant@exemple.fr' });
    await put(t, claire, id, claire.id);
    assert.deepEqual(await mailOut(t), [], 'nothing to whoever takes it');
    await put(t, claire, id, karim);
    const [mail, ...more] = await mailOut(t);
    assert.deepEqual(more, []);
    assert.deepEqual(mail!.envelope.to, ['karim@ville.example']);
    assert.equal(mail!.subject, `Signalement n° ${id} : il vous est assigné`);
    assert.match(mail!.text, /^Bonjour Karim Benali,\n\nClaire Martin vous a assigné ce signalement :\n/);
    assert.match(mail!.text, new RegExp(`- n° ${id} : Nid-de-poule, 12 rue Nationale\\n  https://311\\.ville\\.example/admin#/requests/${id}\\n`));
    assert.match(mail!.text, /https:\/\/311\.ville\.example\/admin#\/requests\?assignee=me&status=open/);
    assert.doesNotMatch(mail!.text, /habitant@exemple\.fr/, 'nothing about the reporter');
    assert.deepEqual(await mailOut(t), [], 'sent once');
  });

  test('a bulk assignment is one e-mail listing every request; one given elsewhere before the e-mail goes is left out, and none left: no e-mail', async () => {
    const { t, claire, karim } = await town();
    const ids = [await report(t), await report(t), await report(t)];
    assert.equal((await admin(t, claire, 'POST', `${J}/requests/bulk`, { ids, action: 'assign', staff_id: karim })).status, 200);
    await put(t, claire, ids[1]!, claire.id);
    const [mail, ...more] = await mailOut(t);
    assert.deepEqual(more, []);
    assert.equal(mail!.subject, '2 signalements vous sont assignés');
    assert.match(mail!.text, /Claire Martin vous a assigné ces 2 signalements :/);
    for (const [i, id] of ids.entries()) assert.equal(mail!.text.includes(`#/requests/${id}\n`), i !== 1, id);
    await put(t, claire, ids[0]!, karim); // unchanged: nothing owed
    const again = await report(t);
    await put(t, claire, again, karim);
    await put(t, claire, again, null);
    assert.deepEqual(await mailOut(t), [], 'taken back before it went: nothing sent');
  });

  test('without SMTP, nothing is queued', async () => {
    const t = await createTestApp();
    const s = await staffWith(t, 'agent');
    const other = await createStaff(t, 'autre.agent@ville.example', { [DEMO]: 'agent' });
    await put(t, s, await report(t), other);
    assert.equal((await t.engine.one<{ n: number }>('SELECT count(*) AS n FROM assignment_mails'))!.n, 0);
  });
});

/** Everything a refused bulk action might have changed. */
const snapshot = async (t: TestApp) => {
  const tables = ['requests', 'request_events', 'audit_log', 'notifications', 'bus_messages', 'assignment_mails', 'followers'];
  return (await Promise.all(tables.map(async (table) => JSON.stringify(await t.engine.query(`SELECT * FROM ${table} ORDER BY 1`))))).join('\n');
};

describe('bulk actions', () => {
  test('all or nothing: one request of another town or unknown, and the call is refused naming each, nothing changed', async () => {
    const { t, claire, karim } = await town();
    const ours = [await report(t), await report(t)];
    const theirs = await report(t, { jurisdiction_id: 'autre.example', api_key: t.updatesKey });
    for (const [action, more] of [['assign', { staff_id: karim }], ['status', { detailed_status: 'fixed', note: 'Fait' }], ['reject', { reason: 'Hors sujet' }],
      ['merge', { into: Number(ours[0]) }]] as const) {
      const before = await snapshot(t);
      const { status, body } = await admin(t, claire, 'POST', `${J}/requests/bulk`, { ids: [...ours, theirs, '999999'], action, ...more });
      assert.equal(status, 404, action);
      assert.deepEqual(body.error.problems, [`request ${theirs} is not a request of ville.example`, 'request 999999 is not a request of ville.example'], action);
      assert.match(body.error.message, /^nothing was done/);
      assert.equal(await snapshot(t), before, `${action}: nothing changed`);
    }
  });

  test('publishing a selection with a request not waiting for moderation is refused, naming it; otherwise all are published', async () => {
    const { t, claire } = await town();
    await t.engine.run("UPDATE services SET moderation = 'hold' WHERE code = 'nid-de-poule'");
    const held = [await report(t), await report(t)];
    const shown = await report(t, { service_code: 'tag-graffiti', 'attribute[taille]': [] });
    const before = await snapshot(t);
    const refused = await admin(t, claire, 'POST', `${J}/requests/bulk`, { ids: [...held, shown], action: 'publish' });
    assert.deepEqual([refused.status, refused.body.error.problems], [409, [`request ${shown} is not waiting for moderation`]]);
    assert.equal(await snapshot(t), before);
    const done = await admin(t, claire, 'POST', `${J}/requests/bulk`, { ids: held, action: 'publish' });
    assert.deepEqual(done.body, { action: 'publish', changed: held });
    for (const id of held) assert.equal((await t.get(`requests/${id}.json?jurisdiction_id=${DEMO}`)).status, 200, 'public now');
    assert.deepEqual((await auditOf(t, 'request.publish')).map((e) => [e.target, e.detail]), held.map((id) => [`request:${id}`, { bulk: true }]));
  });

  test('a status with a note: each request’s followers are e-mailed once about it, the CRM hears of each, each change is audited', async () => {
    const { t, claire } = await town();
    const crm = await busApp(t);
    const [r1, r2, r3] = [await report(t), await report(t), await report(t, { email: 'auteur@exemple.fr', email_updates: 'true' })];
    /** A resident follows a request and confirms their address (each follow is confirmed on its own). */
    const follow = async (id: string, device: string, email: string) => {
      await t.post(`requests/${id}/followers.json`, { api_key: t.key, jurisdiction_id: DEMO, device_id: device, email, email_updates: 'true' });
      await confirmEmail(t, email);
    };
    await confirmEmail(t, 'auteur@exemple.fr');
    await follow(r1!, 'a', 'anne@exemple.fr');
    await follow(r2!, 'a', 'anne@exemple.fr');
    await follow(r1!, 'b', 'basile@exemple.fr');
    await mailOut(t); // the confirmations
    const filed = await lease(t, crm.secret, '?max=100');
    await ack(t, crm.secret, filed.map((m) => m.id));
    const { status, body } = await admin(t, claire, 'POST', `${J}/requests/bulk`, {
      ids: [r1, r2, r3, r1], action: 'status', detailed_status: 'planned', note: 'Intervention prévue la semaine prochaine.',
    });
    assert.equal(status, 200, JSON.stringify(body));
    assert.deepEqual(body.changed, [r1, r2, r3], 'a request named twice is acted on once');
    const mails = await mailOut(t);
    const seen = mails.map((m) => `${m.envelope.to[0]} ${/n° (\d+)/.exec(m.subject)![1]}`).sort();
    assert.deepEqual(seen, [`anne@exemple.fr ${r1}`, `anne@exemple.fr ${r2}`, `auteur@exemple.fr ${r3}`, `basile@exemple.fr ${r1}`].sort(),
      'one e-mail per request a person follows, never two about one request');
    assert.ok(mails.every((m) => m.text.includes('Intervention prévue la semaine prochaine.')));
    const told = await lease(t, crm.secret, '?max=100');
    assert.equal(filed.length, 3, 'the three filings, acknowledged before');
    assert.deepEqual(told.map((m) => [m.request.service_request_id, m.event.detailed_status]).sort(), [r1, r2, r3].map((id) => [id, 'planned']).sort());
    assert.deepEqual((await auditOf(t, 'request.status')).map((e) => e.detail), [r1, r2, r3].map(() => ({ detailed_status: 'planned', bulk: true })));
  });

  test('rejecting a selection hides each request with the reason and tells the CRM; merging joins them into one, followers included', async () => {
    const { t, claire } = await town();
    const crm = await busApp(t);
    const spam = [await report(t), await report(t)];
    await ack(t, crm.secret, (await lease(t, crm.secret, '?max=100')).map((m) => m.id));
    const rejected = await admin(t, claire, 'POST', `${J}/requests/bulk`, { ids: spam, action: 'reject', reason: 'Hors de la commune' });
    assert.equal(rejected.status, 200);
    for (const id of spam) assert.equal((await t.get(`requests/${id}.json?jurisdiction_id=${DEMO}`)).status, 404, 'out of public view');
    const told = await lease(t, crm.secret, '?max=100');
    assert.deepEqual(told.map((m) => [m.type, m.request.service_request_id, m.request.detailed_status, m.event.note]).sort(),
      spam.map((id) => ['updated', id, 'rejected', 'Hors de la commune']).sort(), 'the CRM learns each was rejected, and why');

    const [kept, dup1, dup2] = [await report(t), await report(t), await report(t)];
    for (const [id, device] of [[dup1, 'x'], [dup2, 'x'], [dup2, 'y']] as const) await t.post(`requests/${id}/followers.json`, { api_key: t.key, jurisdiction_id: DEMO, device_id: device });
    const merged = await admin(t, claire, 'POST', `${J}/requests/bulk`, { ids: [kept, dup1, dup2], action: 'merge', into: kept });
    assert.deepEqual(merged.body, { action: 'merge', changed: [dup1, dup2] });
    for (const id of [dup1, dup2]) assert.equal((await admin(t, claire, 'GET', `${J}/requests/${id}`)).body.duplicate_of, kept);
    assert.equal((await admin(t, claire, 'GET', `${J}/requests/${kept}`)).body.followers, 2, 'x and y, x counted once');
    const again = await admin(t, claire, 'POST', `${J}/requests/bulk`, { ids: [await report(t)], action: 'merge', into: dup1 });
    assert.deepEqual([again.status, again.body.error.problems], [409, [`request ${dup1} is itself merged into ${kept}: merge into that one`]]);
  });

  test('malformed selections and actions are refused with what is wrong; read-only staff may not act', async () => {
    const { t, claire } = await town();
    const id = await report(t);
    const cases: [unknown, RegExp][] = [
      [{ action: 'publish' }, /ids must be a list of 1 to 200/], [{ ids: [], action: 'publish' }, /ids/], [{ ids: Array(201).fill(id), action: 'publish' }, /ids/],
      [{ ids: [id, 'x'], action: 'publish' }, /ids/], [{ ids: [id], action: 'delete' }, /action must be one of assign, status, publish, reject, merge/],
      [{ ids: [id], action: 'status', detailed_status: 'done' }, /detailed_status/], [{ ids: [id], action: 'reject' }, /reason is required/],
      [{ ids: [id], action: 'merge' }, /into/], [{ ids: [id], action: 'assign' }, /staff_id is required/],
      [{ ids: [id], action: 'merge', into: Number(id) }, /at least one request besides/],
    ];
    for (const [body, message] of cases) {
      const before = await snapshot(t);
      const got = await admin(t, claire, 'POST', `${J}/requests/bulk`, body);
      assert.ok([400, 409].includes(got.status), JSON.stringify(body));
      assert.match(JSON.stringify(got.body.error), message, JSON.stringify(body));
      assert.equal(await snapshot(t), before);
    }
    const reader = await login(t, 'lecteur@ville.example');
    assert.equal((await admin(t, reader, 'POST', `${J}/requests/bulk`, { ids: [id], action: 'publish' })).status, 403);
    assert.equal((await put(t, reader, id, reader.id)).status, 403, 'nor take one');
  });
});
