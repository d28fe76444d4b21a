import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createTestApp } from '../helpers/app.ts';
import { file, pothole } from '../helpers/georeport.ts';

describe('security: what side channels tell a stranger', () => {
  test('item 13: filing with someone’s e-mail at their place does not reveal their held request', async () => {
    const t = await createTestApp();
    await t.engine.run("UPDATE services SET moderation = 'hold' WHERE code = 'nid-de-poule'");
    const theirs = await file(t, pothole(t, { email: 'victim@example.org', device_id: 'victim-device-5f0c1e' }));
    const mine = await file(t, pothole(t, { email: 'victim@example.org' }));
    assert.notEqual(mine, theirs, 'a new request, not theirs');
    const again = await file(t, pothole(t, { email: 'victim@example.org', device_id: 'victim-device-5f0c1e' }));
    assert.equal(again, theirs, 'the same device sending twice still makes one request');
  });

  test('item 13: nor a published one (the link between an e-mail and a public request is personal)', async () => {
    const t = await createTestApp();
    const theirs = await file(t, pothole(t, { email: 'victim@example.org' }));
    const mine = await file(t, pothole(t, { email: 'VICTIM@example.org' }));
    assert.notEqual(mine, theirs);
  });

  test('item 14: /metrics is not public (off unless a token is set; then only with it)', async () => {
    const off = await createTestApp();
    assert.equal((await off.app.request('http://localhost/metrics')).status, 404);
    const on = await createTestApp({ config: { metricsToken: 'a-long-random-metrics-token' } });
    assert.equal((await on.app.request('http://localhost/metrics')).status, 401);
    assert.equal((await on.app.request('http://localhost/metrics', { headers: { Authorization: 'Bearer wrong' } })).status, 401);
    const ok = await on.app.request('http://localhost/metrics', { headers: { Authorization: 'Bearer a-long-random-metrics-token' } });
    assert.equal(ok.status, 200);
    assert.match(await ok.text(), /georeport_store_requests/);
  });

  test('item 15: a box or a radius with an unknown service_code is an empty list, not a 500', async () => {
    const t = await createTestApp();
    for (const place of ['bbox=0.6,47.3,0.7,47.4', 'bbox=0.68,47.39,0.681,47.391', 'lat=47.39&long=0.68&radius=200', 'bbox=-10,40,10,50']) {
      for (const format of ['json', 'xml']) {
        const res = await t.get(`requests.${format}?${place}&service_code=nope`);
        assert.equal(res.status, 200, `${place} ${format}: ${await res.clone().text()}`);
      }
      assert.deepEqual(await (await t.get(`requests.json?${place}&service_code=nope&page=1`)).json(), []);
    }
  });
});
