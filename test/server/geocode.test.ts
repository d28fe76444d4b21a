import assert from 'node:assert/strict';
import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import {
  createBanGeocoder,
  GeocoderError,
  type BanGeocoderOptions,
  type GeocoderErrorCode,
} from '../../server/geocode/index.ts';
import { startBanStandIn, type BanStandIn } from '../helpers/ban-stand-in.ts';
import { loopbackFetch } from '../helpers/outbound.ts';

/** The adapter, its outbound fetch allowing the loopback stand-ins (the server refuses them otherwise). */
const banGeocoder = (options: BanGeocoderOptions) =>
  createBanGeocoder({ fetch: loopbackFetch, ...options });

/** A loopback server answering whatever `handler` writes: upstream misbehaving on purpose. */
async function serve(handler: RequestListener) {
  const seen: string[] = [];
  const server = createServer((req, res) => {
    seen.push(req.url ?? '');
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Serves one JSON (or raw text) body with a status. */
const answering = (body: unknown, status = 200) =>
  serve((_req, res) => {
    res.writeHead(status, { 'Content-Type': 'application/json' });
    res.end(typeof body === 'string' ? body : JSON.stringify(body));
  });

const rejectsWith = (promise: Promise<unknown>, code: GeocoderErrorCode) =>
  assert.rejects(promise, (err) => err instanceof GeocoderError && err.code === code);

/** A BAN feature, valid unless a test breaks it. */
const banFeature = (
  overrides: { geometry?: unknown; properties?: Record<string, unknown> } = {},
) => ({
  type: 'Feature',
  geometry: overrides.geometry ?? { type: 'Point', coordinates: [0.6861, 47.3952] },
  properties: {
    label: '12 Rue Nationale 37000 Montclair-sur-Loire',
    score: 0.9,
    id: '37999_0420_00012',
    postcode: '37000',
    city: 'Montclair-sur-Loire',
    type: 'housenumber',
    ...overrides.properties,
  },
});
const collection = (features: unknown[]) => ({
  type: 'FeatureCollection',
  version: 'draft',
  features,
});

describe('the BAN geocoder against the stand-in', () => {
  let ban: BanStandIn;
  before(async () => {
    ban = await startBanStandIn();
  });
  after(() => ban.close());

  it('finds an address whatever its case and accents, with its coordinates and postcode', async () => {
    const geocoder = banGeocoder({ baseUrl: ban.url });
    const [best] = await geocoder.search('12 RUE NATIONALE');
    assert.deepEqual(best, {
      lat: 47.3952,
      long: 0.6861,
      label: '12 Rue Nationale 37000 Montclair-sur-Loire',
      postcode: '37000',
      city: 'Montclair-sur-Loire',
      addressId: '37999_0420_00012',
      score: 1,
      kind: 'housenumber',
    });
    const [square] = await geocoder.search('place jean jaures');
    assert.equal(square?.label, 'Place Jean-Jaurès 37000 Montclair-sur-Loire');
    assert.equal(square?.kind, 'street');
  });

  it('asks BAN for a complete address, near a point and inside the configured commune', async () => {
    const geocoder = banGeocoder({ baseUrl: ban.url, citycode: '37999', postcode: '37000' });
    await geocoder.search('  ...12 rue   Nationale ', {
      near: { lat: 47.3941, long: 0.6848 },
      limit: 3,
    });
    const asked = ban.requests.at(-1)!;
    assert.equal(asked.pathname, '/search/');
    assert.deepEqual(Object.fromEntries(asked.searchParams), {
      q: '12 rue Nationale',
      limit: '3',
      autocomplete: '0',
      lat: '47.3941',
      lon: '0.6848',
      citycode: '37999',
      postcode: '37000',
    });
  });

  it('returns no more results than the limit, best first', async () => {
    const geocoder = banGeocoder({ baseUrl: ban.url, minScore: 0 });
    const many = await geocoder.search('rue montclair', { limit: 10 });
    assert.equal(many.length, 10);
    assert.deepEqual(
      [...many].sort((a, b) => b.score - a.score),
      many,
    );
    assert.equal((await geocoder.search('rue montclair', { limit: 2 })).length, 2);
    assert.equal(ban.requests.at(-1)?.searchParams.get('limit'), '2');
  });

  it('drops results scoring under minScore (0.5 unless told)', async () => {
    const all = await banGeocoder({ baseUrl: ban.url, minScore: 0 }).search('12 rue nationale', {
      limit: 20,
    });
    assert.ok(
      all.some((r) => r.score < 0.5),
      'the stand-in offers weak matches too',
    );
    const kept = await banGeocoder({ baseUrl: ban.url }).search('12 rue nationale', {
      limit: 20,
    });
    assert.ok(kept.length > 0 && kept.length < all.length);
    assert.ok(kept.every((r) => r.score >= 0.5));
    const strict = await banGeocoder({ baseUrl: ban.url, minScore: 0.95 }).search(
      '12 rue nationale',
    );
    assert.deepEqual(
      strict.map((r) => r.addressId),
      ['37999_0420_00012'],
    );
  });

  it('does not ask upstream for text BAN would refuse, and cuts long text at a word', async () => {
    const geocoder = banGeocoder({ baseUrl: ban.url });
    const before = ban.requests.length;
    assert.deepEqual(await geocoder.search(' -- '), []);
    assert.deepEqual(await geocoder.search('ab'), []);
    assert.equal(ban.requests.length, before);
    const long = `12 rue Nationale ${'devant la boulangerie '.repeat(20)}`;
    await geocoder.search(long); // the stand-in, like BAN, answers 400 to a q over 200 characters
    const sent = ban.requests.at(-1)?.searchParams.get('q') ?? '';
    assert.ok(sent.length > 190 && sent.length <= 200, sent);
    assert.ok(long.startsWith(`${sent} `), 'cut between two words');
  });

  it('names the nearest address to a point', async () => {
    const geocoder = banGeocoder({ baseUrl: ban.url });
    const door = await geocoder.reverse(47.39525, 0.68608);
    assert.equal(door?.addressId, '37999_0420_00012');
    assert.equal(door?.postcode, '37000');
    assert.equal(
      (await geocoder.reverse(47.3976, 0.6791))?.label,
      'Quai du Port 37000 Montclair-sur-Loire',
    );
    assert.deepEqual(Object.fromEntries(ban.requests.at(-1)!.searchParams), {
      lat: '47.3976',
      lon: '0.6791',
      limit: '5',
    });
  });

  it('passes over a town’s own record (its centre point) for the nearest door or street', async () => {
    const geocoder = banGeocoder({ baseUrl: ban.url });
    // The demo town's record sits exactly here; 12 Rue Nationale is about 155 m away.
    assert.equal((await geocoder.reverse(47.3941, 0.6848))?.label, '12 Rue Nationale 37000 Montclair-sur-Loire');
  });

  it('rejects impossible coordinates as a programming error, not an outage', async () => {
    const geocoder = banGeocoder({ baseUrl: ban.url });
    await assert.rejects(geocoder.reverse(91, 0), RangeError);
    await assert.rejects(
      geocoder.search('quai du port', { near: { lat: 0, long: NaN } }),
      RangeError,
    );
  });
});

describe('the BAN geocoder when upstream fails', () => {
  it('reports an unreachable upstream', async () => {
    const gone = await serve(() => undefined);
    await gone.close(); // its port is now closed
    await rejectsWith(
      banGeocoder({ baseUrl: gone.url }).search('quai du port'),
      'geocoder.unreachable',
    );
  });

  it('gives up on a hung upstream within the timeout', async () => {
    const hung = await startBanStandIn(undefined, { delayMs: 30_000 });
    try {
      const geocoder = banGeocoder({ baseUrl: hung.url, timeoutMs: 200 });
      const started = Date.now();
      await rejectsWith(geocoder.search('quai du port'), 'geocoder.timeout');
      await rejectsWith(geocoder.reverse(47.39, 0.68), 'geocoder.timeout');
      assert.ok(Date.now() - started < 10_000, 'did not wait for the upstream answer');
    } finally {
      await hung.close();
    }
  });

  it('gives up on an upstream that sends headers and then stalls the body', async () => {
    const stalled = await serve((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write('{"type":"FeatureCollection","features":[');
    });
    try {
      await rejectsWith(
        banGeocoder({ baseUrl: stalled.url, timeoutMs: 200 }).search('quai du port'),
        'geocoder.timeout',
      );
    } finally {
      await stalled.close();
    }
  });

  it('reports an HTTP error with its status', async () => {
    const down = await answering({ message: 'maintenance' }, 503);
    try {
      await assert.rejects(
        banGeocoder({ baseUrl: down.url }).search('quai du port'),
        (err) =>
          err instanceof GeocoderError && err.code === 'geocoder.http_status' && err.status === 503,
      );
    } finally {
      await down.close();
    }
  });

  it('does not follow a redirect: it is an HTTP error, and its target is not asked', async () => {
    const target = await startBanStandIn();
    const moved = await serve((_req, res) => res.writeHead(302, { Location: target.url }).end());
    try {
      await assert.rejects(
        banGeocoder({ baseUrl: moved.url }).search('quai du port'),
        (err) =>
          err instanceof GeocoderError && err.code === 'geocoder.http_status' && err.status === 302,
      );
      assert.deepEqual(target.requests, []);
    } finally {
      await Promise.all([moved.close(), target.close()]);
    }
  });

  it('refuses a private address unless allowed by name, saying which setting allows it', async () => {
    const local = await startBanStandIn();
    try {
      await assert.rejects(
        createBanGeocoder({ baseUrl: local.url }).search('quai du port'),
        (err) =>
          err instanceof GeocoderError &&
          err.code === 'geocoder.unreachable' &&
          /127\.0\.0\.1 is a loopback address.*GEOREPORT_OUTBOUND_ALLOW/.test(err.message),
      );
      assert.deepEqual(local.requests, []);
    } finally {
      await local.close();
    }
  });

  for (const [name, body] of [
    ['invalid JSON', '{"type": "FeatureCollection", "features": ['],
    ['an HTML error page', '<html><body>Bad gateway</body></html>'],
    ['an array', '[]'],
    ['null', 'null'],
    ['a collection without features', { type: 'FeatureCollection' }],
    ['features that are not a list', { type: 'FeatureCollection', features: { 0: banFeature() } }],
    ['another kind of document', { type: 'Feature', features: [banFeature()] }],
  ] as const) {
    it(`reports ${name} as a bad response`, async () => {
      const odd = await answering(body);
      try {
        await rejectsWith(
          banGeocoder({ baseUrl: odd.url }).search('quai du port'),
          'geocoder.bad_response',
        );
      } finally {
        await odd.close();
      }
    });
  }

  it('reports an oversized or undecodable body as a bad response', async () => {
    const big = await answering(collection(Array.from({ length: 50 }, () => banFeature())));
    const garbled = await serve((_req, res) => res.end(Buffer.from([0x7b, 0xff, 0xfe, 0x7d])));
    try {
      await rejectsWith(
        banGeocoder({ baseUrl: big.url, maxResponseBytes: 1024 }).search('rue'),
        'geocoder.bad_response',
      );
      await rejectsWith(
        banGeocoder({ baseUrl: garbled.url }).search('rue'),
        'geocoder.bad_response',
      );
    } finally {
      await Promise.all([big.close(), garbled.close()]);
    }
  });

  it('skips each malformed feature and keeps the good ones', async () => {
    const good = banFeature({
      properties: { label: 'Quai du\u0000 Port\n37000', id: 'not an id!', type: 'quay' },
    });
    const features = [
      null,
      'feature',
      { type: 'Feature' },
      banFeature({
        geometry: {
          type: 'LineString',
          coordinates: [
            [0.68, 47.39],
            [0.69, 47.4],
          ],
        },
      }),
      banFeature({ geometry: { type: 'Point', coordinates: ['0.68', '47.39'] } }),
      banFeature({ geometry: { type: 'Point', coordinates: [0.68] } }),
      banFeature({ geometry: { type: 'Point', coordinates: 'INFINITE' } }),
      banFeature({ geometry: { type: 'Point', coordinates: [47.39, 147.39] } }),
      banFeature({ geometry: { type: 'Point', coordinates: [200, 47.39] } }),
      banFeature({ properties: { score: '0.9' } }),
      banFeature({ properties: { score: 1.5 } }),
      banFeature({ properties: { score: null } }),
      banFeature({ properties: { label: '   ' } }),
      banFeature({ properties: { label: 42 } }),
      { ...banFeature(), properties: null },
      good,
    ];
    // 1e400 is valid JSON that parses to Infinity: a number check alone would let it through.
    const odd = await answering(
      JSON.stringify(collection(features)).replace('"INFINITE"', '[1e400, 47]'),
    );
    try {
      const results = await banGeocoder({ baseUrl: odd.url }).search('quai du port', {
        limit: 20,
      });
      assert.deepEqual(results, [
        {
          lat: 47.3952,
          long: 0.6861,
          label: 'Quai du Port 37000',
          postcode: '37000',
          city: 'Montclair-sur-Loire',
          addressId: null,
          score: 0.9,
          kind: null,
        },
      ]);
    } finally {
      await odd.close();
    }
  });

  it('keeps a base path and asks below it', async () => {
    const upstream = await answering(collection([]));
    try {
      await banGeocoder({ baseUrl: `${upstream.url}geocodage` }).reverse(47.39, 0.68);
      assert.match(upstream.seen[0] ?? '', /^\/geocodage\/reverse\/\?lat=47\.39&lon=0\.68/);
    } finally {
      await upstream.close();
    }
  });
});

describe('createBanGeocoder options', () => {
  it('refuses a bad configuration at once', () => {
    const bad = [
      { baseUrl: 'not a url' },
      { baseUrl: 'ftp://127.0.0.1/' },
      { baseUrl: 'http://127.0.0.1/', timeoutMs: 0 },
      { baseUrl: 'http://127.0.0.1/', timeoutMs: 1.5 },
      { baseUrl: 'http://127.0.0.1/', minScore: 2 },
      { baseUrl: 'http://127.0.0.1/', minScore: NaN },
      { baseUrl: 'http://127.0.0.1/', citycode: 'Tours' },
      { baseUrl: 'http://127.0.0.1/', postcode: '370' },
    ];
    for (const options of bad)
      assert.throws(() => createBanGeocoder(options), /geocoder/, JSON.stringify(options));
  });
});
