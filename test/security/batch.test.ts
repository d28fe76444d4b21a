import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { startServer } from '../helpers/server-process.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('security and interop: batch tokens', () => {
  test('item 17: a batch service’s token has its id within the few seconds clients poll (default settings)', async () => {
    const server = await startServer({ args: ['--seed-demo', '--db', ':memory:'] });
    try {
      const api = new URL('open311/v2/', server.url);
      const res = await fetch(new URL('requests.json', api), {
        method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ api_key: 'demo-public-key', service_code: 'encombrants', address_string: '3 rue Nationale', 'attribute[objets]': 'matelas', 'attribute[volume-m3]': '1' }),
      });
      const body = (await res.json()) as { token?: string }[];
      assert.equal(res.status, 200, JSON.stringify(body));
      const token = body[0]!.token!;
      // A client polls a few times in the first seconds (FixMyStreet: 5 polls, 2 s apart; most others less).
      let id = '';
      for (let poll = 0; poll < 5 && id === ''; poll++) {
        await sleep(400);
        const answer = (await (await fetch(new URL(`tokens/${token}.json`, api))).json()) as { service_request_id: string }[];
        id = answer[0]!.service_request_id;
      }
      assert.match(id, /^\d+$/, 'the id came within two seconds');
    } finally {
      await server.stop();
    }
  });
});
