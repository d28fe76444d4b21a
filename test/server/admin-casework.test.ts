import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { admin, staffWith } from '../helpers/admin.ts';
import { busApp, lease } from '../helpers/bus.ts';
import { confirmEmail, file, pothole } from '../helpers/georeport.ts';

const J = 'j/ville.example';
const publicOne = async (t: TestApp, id: string) => {
  const res = await t.get(`requests/${id}.json?extensions=true`);
  return res.status === 200 ? ((await res.json()) as Record<string, any>[])[0]! : null;
};

describe('moderation', () => {
  test('a held request waits in the queue, out of public view, until an agent publishes it', async () => {
    const t = await createTestApp();
    await t.engine.run("UPDATE services SET moderation = 'hold' WHERE code = 'nid-de-poule'");
    const id = await file(t, pothole(t, { description: 'Trou, appelez-moi au 06 12 34 56 78', email: 'me@exemple.fr' }));
    const s = await staffWith(t, 'agent');
    assert.equal(await publicOne(t, id), null);
    const queue = (await admin(t, s, 'GET', `${J}/moderation`)).body;
    assert.deepEqual(queue.requests.map((r: { service_request_id: string }) => r.service_request_id), [id]);
    const seen = (await admin(t, s, 'GET', `${J}/requests/${id}`)).body;
    assert.equal(seen.reporter.email, 'me@exemple.fr', 'staff see the reporter');
    const edited = await admin(t, s, 'POST', `${J}/requests/${id}/edit`, { description: 'Trou' });
    assert.equal(edited.body.description, 'Trou');
    assert.match(edited.body.history.at(-1).note, /edited: description/);
    assert.equal((await admin(t, s, 'POST', `${J}/requests/${id}/publish`)).status, 200);
    assert.equal((await admin(t, s, 'POST', `${J}/requests/${id}/publish`)).status, 409, 'published already');
    const shown = await publicOne(t, id);
    assert.equal(shown!.description, 'Trou', 'the public sees the edited text');
    assert.doesNotMatch(JSON.stringify(shown), /06 12 34|me@exemple/);
    assert.deepEqual((await admin(t, s, 'GET', `${J}/moderation`)).body.requests, []);
  });

  test('rejecting hides the request with its reason; hiding a photo takes it off public answers', async () => {
    const t = await createTestApp();
    const s = await staffWith(t, 'agent');
    const rejected = await file(t, pothole(t));
    const r = await admin(t, s, 'POST', `${J}/requests/${rejected}/reject`, { reason: 'Hors de la commune' });
    assert.deepEqual([r.body.visibility, r.body.detailed_status, r.body.status_notes], ['hidden', 'rejected', 'Hors de la commune']);
    assert.equal(await publicOne(t, rejected), null);
    assert.equal((await admin(t, s, 'POST', `${J}/requests/${rejected}/reject`, {})).status, 400, 'a reason is required');
    const pictured = await file(t, pothole(t, { media_url: ['https://img.example/face.jpg', 'https://img.example/hole.jpg'] }));
    const media = (await admin(t, s, 'GET', `${J}/requests/${pictured}`)).body.media as { id: string }[];
    await admin(t, s, 'POST', `${J}/requests/${pictured}/media/${media[0]!.id}/hide`);
    const shown = await publicOne(t, pictured);
    assert.equal(shown!.media_url, 'https://img.example/hole.jpg');
    assert.deepEqual(shown!.extended_attributes.media_urls, ['https://img.example/hole.jpg']);
    assert.equal((await admin(t, s, 'POST', `${J}/requests/${pictured}/media/999999/hide`)).status, 404);
  });

  test('merging a duplicate closes it and carries its followers over, counted once', async () => {
    const t = await createTestApp();
    const s = await staffWith(t, 'agent');
    const [main, dup] = [await file(t, pothole(t)), await file(t, pothole(t, { lat: '47.3901' }))];
    for (const device of ['a', 'b']) await t.post(`requests/${dup}/followers.json`, { api_key: t.key, device_id: device });
    await t.post(`requests/${main}/followers.json`, { api_key: t.key, device_id: 'a' });
    const merged = await admin(t, s, 'POST', `${J}/requests/${dup}/merge`, { into: Number(main) });
    assert.deepEqual([merged.body.detailed_status, merged.body.duplicate_of], ['duplicate', main]);
    const shown = await publicOne(t, main);
    assert.equal(shown!.extended_attributes.followers, 2, 'a, and b carried over (a counted once)');
    assert.equal((await publicOne(t, dup))!.extended_attributes.duplicate_of, main);
    assert.equal((await admin(t, s, 'POST', `${J}/requests/${dup}/merge`, { into: Number(dup) })).status, 400);
  });

  test('no chains of merges: a merged request is not merged again, nor is anything merged into it (as in bulk)', async () => {
    const t = await createTestApp();
    const s = await staffWith(t, 'agent');
    const [main, dup, other] = [await file(t, pothole(t)), await file(t, pothole(t, { lat: '47.3901' })), await file(t, pothole(t, { lat: '47.3902' }))];
    assert.equal((await admin(t, s, 'POST', `${J}/requests/${dup}/merge`, { into: Number(main) })).status, 200);
    const again = await admin(t, s, 'POST', `${J}/requests/${dup}/merge`, { into: Number(other) });
    assert.equal(again.status, 409);
    assert.deepEqual(again.body.error.problems, [`request ${dup} is already merged into ${main}`]);
    const intoMerged = await admin(t, s, 'POST', `${J}/requests/${other}/merge`, { into: Number(dup) });
    assert.equal(intoMerged.status, 409);
    assert.deepEqual(intoMerged.body.error.problems, [`request ${dup} is itself merged into ${main}: merge into that one`]);
    assert.equal((await publicOne(t, dup))!.extended_attributes.duplicate_of, main, 'still merged where it was');
    assert.equal((await publicOne(t, other))!.extended_attributes.duplicate_of, null, 'the other is not merged');
  });
});

describe('answering requests', () => {
  test('a status with a public note reaches the timeline, the followers’ e-mails and the CRM; an internal note stays inside', async () => {
    const t = await createTestApp();
    const crm = await busApp(t);
    const id = await file(t, pothole(t));
    await t.post(`requests/${id}/followers.json`, { api_key: t.key, device_id: 'x', email: 'voisin@exemple.fr', email_updates: 'true' });
    await confirmEmail(t, 'voisin@exemple.fr');
    await lease(t, crm.secret).then((m) => t.engine.run('UPDATE bus_messages SET acked_at = 1 WHERE id = ?', [Number(m[0]!.id)]));
    const s = await staffWith(t, 'agent');
    await admin(t, s, 'POST', `${J}/requests/${id}/notes`, { note: 'Voir avec la régie', public: false });
    const done = await admin(t, s, 'POST', `${J}/requests/${id}/status`, { detailed_status: 'fixed', note: 'Rebouché ce matin' });
    assert.equal(done.status, 200);
    const shown = await publicOne(t, id);
    assert.deepEqual([shown!.status, shown!.status_notes], ['closed', 'Rebouché ce matin']);
    assert.doesNotMatch(JSON.stringify(shown), /Voir avec la régie/);
    assert.ok(done.body.history.some((e: { note: string; public: boolean }) => e.note === 'Voir avec la régie' && !e.public), 'staff see the internal note');
    assert.equal((await t.engine.one<{ n: number }>('SELECT count(*) AS n FROM notifications'))!.n, 1);
    assert.deepEqual((await lease(t, crm.secret, '?max=10')).map((m) => m.event.note), ['Voir avec la régie'], 'the CRM gets the notes in order');
    assert.equal((await admin(t, s, 'POST', `${J}/requests/${id}/status`, { detailed_status: 'done' })).status, 400);
  });

  test('an agent files a request received by phone: public, channel recorded, filed by them', async () => {
    const t = await createTestApp();
    const s = await staffWith(t, 'agent');
    const { status, body } = await admin(t, s, 'POST', `${J}/intake`, {
      channel: 'phone', service_code: 'nid-de-poule', address_string: '4 rue Haute', description: 'Signalé par téléphone', attribute: { taille: 'grand' },
      first_name: 'Jean', phone: '0247000000',
    });
    assert.equal(status, 201, JSON.stringify(body));
    assert.deepEqual([body.channel, body.visibility, body.reporter.first_name, body.history[0].actor], ['phone', 'published', 'Jean', `staff:${s.id}`]);
    assert.deepEqual(body.attributes, [{ code: 'taille', values: ['grand'] }]);
    assert.equal((await publicOne(t, body.service_request_id))!.description, 'Signalé par téléphone');
    const bad = await admin(t, s, 'POST', `${J}/intake`, { channel: 'phone', service_code: 'nid-de-poule', address_string: '4 rue Haute', attribute: { taille: 'énorme' } });
    assert.equal(bad.status, 400);
    assert.match(bad.body.error.problems[0], /taille/);
    assert.equal((await admin(t, s, 'POST', `${J}/intake`, { channel: 'pigeon', service_code: 'nid-de-poule' })).status, 400);
  });

  test('the list finds requests by visibility, status, category and words; another jurisdiction’s request is not found', async () => {
    const t = await createTestApp({ extraJurisdictions: ['autre.example'] });
    const s = await staffWith(t, 'readonly', { 'autre.example': 'readonly' });
    const id = await file(t, pothole(t, { jurisdiction_id: 'ville.example', description: 'Grand trou près du marché' }));
    const found = (await admin(t, s, 'GET', `${J}/requests?q=marche&status=open&service_code=nid-de-poule`)).body;
    assert.deepEqual(found.requests.map((r: { service_request_id: string }) => r.service_request_id), [id]);
    assert.equal(found.total, 1);
    assert.equal((await admin(t, s, 'GET', `${J}/requests?visibility=gone`)).status, 400);
    assert.equal((await admin(t, s, 'GET', `j/autre.example/requests/${id}`)).status, 404);
    // Pages of any size up to 500 (the map shows up to 500 at once).
    const all = (await admin(t, s, 'GET', `${J}/requests`)).body;
    const two = (await admin(t, s, 'GET', `${J}/requests?per_page=2&page=2`)).body;
    assert.deepEqual(two.requests.map((r: { service_request_id: string }) => r.service_request_id), all.requests.slice(2, 4).map((r: { service_request_id: string }) => r.service_request_id));
    assert.equal(two.total, all.total);
    for (const bad of ['0', '501', '2.5', 'all']) assert.equal((await admin(t, s, 'GET', `${J}/requests?per_page=${bad}`)).status, 400, bad);
  });
});

describe('administration', () => {
  test('an administrator adds staff, creates a key and a bus app, and sees their health', async () => {
    const t = await createTestApp();
    const s = await staffWith(t, 'administrator');
    const added = await admin(t, s, 'POST', `${J}/staff`, { email: 'nouvel.agent@ville.example', name: 'Nouvel Agent', role: 'agent', password: 'un mot de passe long' });
    assert.equal(added.status, 201, JSON.stringify(added.body));
    const agent = await admin(t, null, 'POST', 'session', { email: 'nouvel.agent@ville.example', password: 'un mot de passe long' });
    assert.deepEqual(agent.body.staff.roles, { 'ville.example': 'agent' });
    assert.equal((await admin(t, s, 'POST', `${J}/staff`, { email: 'x@y.fr', name: '', role: 'chef', password: 'court' })).body.error.problems.length, 3);
    const key = await admin(t, s, 'POST', `${J}/keys`, { name: 'Application mobile', rate_limit_per_minute: 120 });
    assert.match(key.body.api_key, /^grk_/);
    assert.equal((await t.post('requests.json', pothole(t, { api_key: key.body.api_key }))).status, 200, 'the new key files');
    await admin(t, s, 'POST', `${J}/keys/${key.body.id}/revoke`);
    assert.equal((await t.post('requests.json', pothole(t, { api_key: key.body.api_key }))).status, 403, 'revoked at once');
    const app = await admin(t, s, 'POST', `${J}/bus`, { name: 'GRC', services: ['nid-de-poule'], deferred: true });
    assert.match(app.body.secret, /^grb_/);
    const health = (await admin(t, s, 'GET', `${J}/bus`)).body.apps[0];
    assert.deepEqual([health.name, health.delivery, health.last_poll, health.backlog.pending], ['GRC', 'deferred', null, 0]);
    const messages = () => t.app.request('http://localhost/bus/v1/messages?wait=0', { headers: { Authorization: `Bearer ${app.body.secret}` } });
    assert.equal((await messages()).status, 200);
    assert.equal((await admin(t, s, 'POST', `${J}/bus/${app.body.id}/revoke`)).status, 204);
    assert.equal((await messages()).status, 401, 'its secret is refused at once');
    assert.equal((await admin(t, s, 'POST', `${J}/bus/${app.body.id}/revoke`)).status, 404, 'revoked already');
    assert.ok((await admin(t, s, 'GET', `${J}/bus`)).body.apps[0].revoked, 'shown as revoked');
  });
});
