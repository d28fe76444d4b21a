import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createRetention } from '../../server/admin/retention.ts';
import { admin, staffWith } from '../helpers/admin.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { bus, busApp } from '../helpers/bus.ts';
import { file, pothole } from '../helpers/georeport.ts';

const J = 'j/ville.example';
type Event = { type: string; action: string | null; ref: string | null; actor: string; actor_kind: string; actor_name: string | null; note: string | null; changes: { field: string; before: string | null; after: string | null; erased: boolean }[] };
const history = async (t: TestApp, s: Awaited<ReturnType<typeof staffWith>>, id: string) => (await admin(t, s, 'GET', `${J}/requests/${id}`)).body.history as Event[];
/** Who made each event, as the back office is told: kind and name. */
const who = (events: Event[]) => events.map((e) => [e.type, e.actor_kind, e.actor_name]);

describe('the history staff read', () => {
  test('each moderation and merge event says what it did, and which photo or request it names', async () => {
    const t = await createTestApp();
    const s = await staffWith(t, 'agent');
    const [main, dup] = [await file(t, pothole(t)), await file(t, pothole(t, { lat: '47.3901' }))];
    assert.equal((await admin(t, s, 'POST', `${J}/requests/${dup}/merge`, { into: Number(main) })).status, 200);
    const done = (events: Event[]) => events.filter((e) => e.action !== null).map((e) => [e.type, e.action, e.ref]);
    assert.deepEqual(done(await history(t, s, dup)), [['merge', 'merged_into', main]]);
    assert.deepEqual(done(await history(t, s, main)), [['merge', 'merged_here', dup]]);
    assert.equal((await admin(t, s, 'POST', `${J}/requests/${main}/reject`, { reason: 'Hors compétence de la commune' })).status, 200);
    assert.deepEqual(done(await history(t, s, main)).at(-1), ['moderation', 'rejected', null]);
  });

  test('names who did what: the staff member, the key’s application, the CRM on the bus; someone since removed and an unknown actor are said to be so', async () => {
    const t = await createTestApp();
    const crm = await busApp(t, { name: 'GRC de la voirie' });
    const id = await file(t, pothole(t));
    const agent = await staffWith(t, 'agent');
    const agentName = (await t.engine.one<{ name: string }>('SELECT name FROM staff_users WHERE id = ?', [agent.id]))!.name;
    await admin(t, agent, 'POST', `${J}/requests/${id}/notes`, { note: 'Vu sur place', public: false });
    assert.equal((await bus(t, crm.secret, `requests/${id}/updates`, { body: { update_id: 'u-1', detailed_status: 'planned', note: 'Programmé', public: true } })).status, 200);
    await t.post('servicerequestupdates.json', { api_key: t.updatesKey, service_request_id: id, update_id: 'fms-1', status: 'IN_PROGRESS', description: 'En cours' });
    const gone = await staffWith(t, 'agent');
    await admin(t, gone, 'POST', `${J}/requests/${id}/notes`, { note: 'Note d’un agent parti', public: false });
    const reader = await staffWith(t, 'readonly');
    await t.engine.run('DELETE FROM staff_users WHERE id = ?', [gone.id]);
    await t.engine.run("INSERT INTO request_events (request_id, type, note, public, actor, created_at) VALUES (?, 'note', 'importée', 0, 'import:ancien-logiciel', 0)", [Number(id)]);

    const events = await history(t, reader, id);
    assert.deepEqual(who(events), [
      ['created', 'app', 'Demo website widget'],
      ['note', 'staff', agentName],
      ['status', 'bus', 'GRC de la voirie'],
      ['status', 'app', 'test client'],
      ['note', 'staff', null],
      ['note', 'unknown', null],
    ]);
  });

  test('the demo’s own updates and the server’s are told apart from people', async () => {
    const t = await createTestApp();
    const s = await staffWith(t, 'readonly');
    const seeded = (await admin(t, s, 'GET', `${J}/requests?status=closed&per_page=1`)).body.requests[0].service_request_id as string;
    const kinds = new Set((await history(t, s, seeded)).map((e) => e.actor_kind));
    assert.deepEqual([...kinds].sort(), ['demo', 'resident'], 'filed without a key, answered by the seeding');
  });

  test('an edit shows staff what each text was and became; the public, the request’s page and search never see what was taken out', async () => {
    const t = await createTestApp();
    const id = await file(t, pothole(t, { title: 'Trou devant chez Mme Durand', description: 'Trou profond, appelez-moi au 06 12 34 56 78' }));
    const s = await staffWith(t, 'agent');
    const edited = await admin(t, s, 'POST', `${J}/requests/${id}/edit`, { title: 'Trou profond', description: 'Trou profond', address: undefined });
    assert.equal(edited.status, 200);
    const edit = (edited.body.history as Event[]).at(-1)!;
    assert.deepEqual([edit.type, edit.action], ['moderation', 'edited'], 'the back office is told what the event did, not left to read its note');
    assert.deepEqual(edit.changes, [
      { field: 'title', before: 'Trou devant chez Mme Durand', after: 'Trou profond', erased: false },
      { field: 'description', before: 'Trou profond, appelez-moi au 06 12 34 56 78', after: 'Trou profond', erased: false },
    ]);

    const seen = JSON.stringify(await (await t.get(`requests/${id}.json?extensions=true`)).json());
    assert.doesNotMatch(seen, /06 12 34|Durand/, 'the public API, its timeline included');
    const page = await (await t.app.request(`http://localhost/requests/${id}`)).text();
    assert.doesNotMatch(page, /06 12 34|Durand|edited/, 'the request’s public page');
    assert.deepEqual(await (await t.get('requests.json?q=Durand')).json(), [], 'public search');
    assert.equal((await admin(t, s, 'GET', `${J}/requests?q=Durand`)).body.total, 0, 'staff search finds the texts as they are now');

    const again = await admin(t, s, 'POST', `${J}/requests/${id}/edit`, { title: 'Trou profond' });
    assert.equal((again.body.history as Event[]).length, (edited.body.history as Event[]).length, 'the same text again is no change: nothing added');
    const logged = (await t.engine.one<{ n: number }>("SELECT count(*) AS n FROM audit_log WHERE action = 'request.edit'"))!.n;
    assert.equal(logged, 1);
  });

  test('what edits took out is erased with the reporter’s data a year after closure', async () => {
    const t = await createTestApp();
    const now = () => Math.floor(t.clock.ms / 1000);
    const s = await staffWith(t, 'agent');
    const id = await file(t, pothole(t, { description: 'Appelez Jean au 06 12 34 56 78' }));
    await admin(t, s, 'POST', `${J}/requests/${id}/edit`, { description: 'Trou' });
    await admin(t, s, 'POST', `${J}/requests/${id}/status`, { detailed_status: 'fixed' });
    const retention = createRetention(t.engine, 12);
    assert.equal((await retention.purge(now() + 300 * 86_400)).edits, 0, 'not yet');
    assert.equal((await retention.purge(now() + 400 * 86_400)).edits, 1);
    const edit = (await history(t, s, id)).find((e) => e.changes.length)!;
    assert.deepEqual(edit.changes, [{ field: 'description', before: null, after: null, erased: true }]);
    assert.equal((await admin(t, s, 'GET', `${J}/requests/${id}`)).body.description, 'Trou', 'the request keeps its public text');
  });
});
