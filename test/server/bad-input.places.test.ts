import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRequestsStore } from '../../server/requests/requests.store.ts';
import { draftRequest } from '../../server/requests/requests.types.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { assertAnswer, brief, createRng, encodePairs, SEED, type Rng } from '../helpers/bad-input.ts';

/**
 * Every spatial plan (no place, the R*Tree for tiny boxes, fine cells, coarse cells, the date index for huge
 * boxes, radii of every size, reversed corners) combined with every other filter, valid or naming nothing
 * (unknown service codes, words found nowhere, empty windows): each combination is a valid query, answered
 * 200 in the protocol's format by every resource that reads places, never a 5xx. A bounding box with an
 * unknown `service_code` was a 500 ("no query solution") until this suite combined them.
 */
type Pairs = [string, string][];

const CENTRE = { lat: 47.39, long: 0.69 };
const CASES = 300;

/** Requests spread over the city and around it, so every plan has cells with something in them. */
async function spread(t: TestApp, rng: Rng) {
  const services = await t.engine.query<{ id: number }>("SELECT id FROM services WHERE jurisdiction_id = 'ville.example'");
  const now = Math.floor(t.clock.ms / 1000);
  await t.engine.transaction(async (tx) => {
    const store = createRequestsStore(tx);
    for (let i = 0; i < 400; i++) {
      const far = rng.chance(0.1) ? 2 : 0.05;
      await store.create(draftRequest({
        jurisdictionId: 'ville.example', serviceId: rng.pick(services).id, now: now - rng.int(0, 120) * 86_400,
        lat: CENTRE.lat + (rng.next() - 0.5) * far, long: CENTRE.long + (rng.next() - 0.5) * far * 1.5,
        description: rng.pick(['trou profond', 'lampadaire éteint', 'tag sur le mur', 'déchets']), agencyResponsible: rng.pick(['Voirie', null]),
      }));
    }
  });
}

/** A place in each of the plans' shapes (or none). */
function place(rng: Rng): Pairs {
  const box = (half: number): Pairs => {
    const [lat, long] = [CENTRE.lat + (rng.next() - 0.5) * 0.05, CENTRE.long + (rng.next() - 0.5) * 0.05];
    const corners = [long - half * 1.5, lat - half, long + half * 1.5, lat + half];
    const [a, b, c, d] = rng.chance(0.2) ? [corners[2], corners[3], corners[0], corners[1]] : corners;
    return [['bbox', [a, b, c, d].map((x) => x!.toFixed(6)).join(',')]];
  };
  switch (rng.int(0, 6)) {
    case 0: return [];
    case 1: return box(0.0002); // inside one fine cell: the R*Tree
    case 2: return box(0.002); // a few fine cells
    case 3: return box(0.03); // coarse cells
    case 4: return box(rng.pick([1, 5, 40])); // wider than the grids: the date index
    default: {
      const radius = rng.pick([1, 30, 250, 2000, 20_000, 100_000]);
      return [['lat', String(CENTRE.lat + (rng.next() - 0.5) * 0.02)], ['long', String(CENTRE.long + (rng.next() - 0.5) * 0.02)], ['radius', String(radius)]];
    }
  }
}

/** Any subset of the other filters, with values that match, match nothing, or name nothing known. */
function filters(rng: Rng, now: number): Pairs {
  const iso = (s: number) => new Date(s * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const options: (() => Pairs)[] = [
    () => [['service_code', rng.pick(['nid-de-poule', 'nope', 'nope,autre', 'nid-de-poule,nope', 'lampadaire,tag-graffiti,nid-de-poule', 'NID-DE-POULE'])]],
    () => [['status', rng.pick(['open', 'closed', 'OPEN,closed', 'closed,closed'])]],
    () => {
      const end = now - rng.int(0, 200) * 86_400;
      return [['start_date', iso(end - rng.int(0, 90) * 86_400)], ['end_date', iso(end)]];
    },
    () => [[rng.pick(['updated_after', 'updated_before']), iso(now - rng.int(0, 120) * 86_400)]],
    () => [[rng.pick(['q', 'search']), rng.pick(['trou', 'LAMPADAIRE', 'eteint', 'introuvable', 'tag mur', 'dé'])]],
    () => [['agency_responsible', rng.pick(['Voirie', 'voirie', 'Personne'])]],
    () => [['page', String(rng.int(1, 4))], ['page_size', String(rng.pick([1, 7, 50, 1000]))]],
    () => [['extensions', 'true']],
    () => [['locale', rng.pick(['en', 'fr', 'de'])]],
  ];
  return options.filter(() => rng.chance(0.45)).flatMap((make) => make());
}

test('every spatial plan with every combination of filters is a 200 in both formats, never a 5xx', async () => {
  const t = await createTestApp();
  const rng = createRng(SEED ^ 0x91ace5);
  await spread(t, rng);
  const now = Math.floor(t.clock.ms / 1000);
  for (let n = 0; n < CASES; n++) {
    const pairs = [...place(rng), ...filters(rng, now)];
    const query = encodePairs(pairs);
    for (const format of ['json', 'xml'] as const) {
      const label = `seed ${SEED} requests.${format} case ${n} ?${brief(query)}`;
      await assertAnswer(await t.get(`requests.${format}?${query}`), format, 200, label);
    }
    const hasBox = pairs.some(([k]) => k === 'bbox');
    if (hasBox) {
      const map = `map.json?${query}&zoom=${rng.int(3, 19)}`;
      await assertAnswer(await t.get(map), 'json', 200, `seed ${SEED} case ${n} ${brief(map)}`);
    }
    for (const path of ['export/requests.geojson', 'export/requests.csv']) {
      const res = await t.app.request(`http://localhost/${path}?${query}`);
      assert.equal(res.status, 200, `seed ${SEED} ${path} case ${n} ?${brief(query)}: ${brief(await res.text())}`);
    }
  }
});
