import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createOutbound, OutboundRefused } from '../../server/http/outbound.ts';
import { loopbackFetch } from '../helpers/outbound.ts';
import { startReceiver } from '../helpers/receiver.ts';

describe('the outbound fetch', () => {
  test('sends the method, headers and body given, and answers as fetch does: status, headers, body', async () => {
    const hook = await startReceiver({
      answer: () => ({
        status: 201,
        headers: { 'X-Crm': 'GRC', 'Content-Type': 'application/json' },
      }),
    });
    try {
      const res = await loopbackFetch(hook.url, {
        method: 'PUT',
        body: '{"a":"é"}',
        headers: { 'Content-Type': 'application/json', 'X-Test': '1' },
      });
      assert.equal(res.status, 201);
      assert.equal(res.headers.get('x-crm'), 'GRC');
      assert.equal(await res.text(), '');
      const [call] = hook.received;
      assert.deepEqual(
        [call!.method, call!.body, call!.headers['x-test'], call!.headers['content-length']],
        ['PUT', '{"a":"é"}', '1', '10'],
      );
    } finally {
      await hook.close();
    }
  });

  test('returns a redirect as it came: nothing is sent where it points', async () => {
    const elsewhere = await startReceiver();
    const hook = await startReceiver({
      answer: () => ({ status: 308, headers: { Location: elsewhere.url } }),
    });
    try {
      const res = await loopbackFetch(hook.url, { method: 'POST', body: 'secret' });
      assert.equal(res.status, 308);
      assert.equal(res.headers.get('location'), elsewhere.url);
      assert.deepEqual(elsewhere.received, []);
    } finally {
      await Promise.all([hook.close(), elsewhere.close()]);
    }
  });

  test('an answer without a body (204, or to a HEAD) has a null body', async () => {
    const hook = await startReceiver({
      answer: (call) => ({ status: call.method === 'HEAD' ? 200 : 204 }),
    });
    try {
      assert.equal((await loopbackFetch(hook.url, { method: 'POST', body: 'x' })).body, null);
      assert.equal((await loopbackFetch(hook.url, { method: 'HEAD' })).body, null);
    } finally {
      await hook.close();
    }
  });

  test('gives up with the signal’s reason, a TimeoutError, when the receiver does not answer', async () => {
    const hook = await startReceiver({ answer: () => 'hang' });
    try {
      await assert.rejects(loopbackFetch(hook.url, { signal: AbortSignal.timeout(100) }), {
        name: 'TimeoutError',
      });
    } finally {
      await hook.close();
    }
  });

  test('refuses a private target before connecting, and a scheme other than http(s)', async () => {
    const hook = await startReceiver();
    try {
      const strict = createOutbound();
      await assert.rejects(
        strict.fetch(hook.url),
        (e: unknown) => e instanceof OutboundRefused && e.reason === 'private address',
      );
      await assert.rejects(
        strict.fetch('file:///etc/passwd'),
        (e: unknown) => e instanceof OutboundRefused && e.reason === 'not http(s)',
      );
      assert.deepEqual(hook.received, []);
    } finally {
      await hook.close();
    }
  });
});

describe('the outbound check (configuration time)', () => {
  test('refuses a name that resolves to loopback, naming the setting; the same name allowed passes', async () => {
    await assert.rejects(
      createOutbound().check('http://localhost:8080/hook'),
      /localhost resolves to an address that is not public.*GEOREPORT_OUTBOUND_ALLOW \(--outbound-allow\)/,
    );
    await createOutbound({ allowHosts: ['localhost'] }).check('http://localhost:8080/hook');
    await createOutbound().check('https://93.184.216.34/hook');
  });

  test('a bad entry of the allow list fails when the factory runs', () => {
    for (const bad of ['*.ville.example', 'http://crm.example/', 'crm.example:80', '']) {
      assert.throws(() => createOutbound({ allowHosts: [bad] }), TypeError, bad);
    }
  });
});
