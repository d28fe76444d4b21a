import { DEMO_API_KEY } from '../../server/keys/demo-key.ts';
import { ALPHABETS, NOT_DATETIME, words, type Rng } from './bad-input.ts';
import { WRITE_BREAKERS } from './bad-post.breakers.ts';
import {
  MIXED,
  WRITE_NOISE,
  baseDraft,
  blur,
  set,
  type Breaker,
  type Draft,
  type Noise,
  type Pair,
} from './bad-post.ts';

/**
 * Generators of `POST servicerequestupdates.{fmt}` cases (FixMyStreet's status updates), built like the
 * report cases: a valid update to `requestId`, harmless noise, then at most one breaker.
 */

const breaker = (name: string, status: number, apply: Breaker['apply']): Breaker => ({
  name,
  status,
  apply,
});
const noise = (name: string, p: number, apply: Noise['apply']): Noise => ({ name, p, apply });

/** Statuses as FixMyStreet and others spell them: all valid. */
const STATUSES = [
  ...words(
    'FIXED fixed IN_PROGRESS in-progress ACTION_SCHEDULED NOT_COUNCILS_RESPONSIBILITY DUPLICATE CLOSED planned',
  ),
  'in progress',
  ' closed ',
];

const UPDATE_NOISE: Noise[] = [
  noise('a status spelled another way', 0.4, (d, rng) => set(d.body, 'status', rng.pick(STATUSES))),
  noise('a description and no status', 0.2, (d, rng) => {
    set(d.body, 'status', ...(rng.chance(0.5) ? [''] : []));
    set(d.body, 'description', `Note ${rng.text(1, 50, ALPHABETS.unicode)}`);
  }),
  noise('an updated_datetime, past or future', 0.3, (d, rng) => {
    set(
      d.body,
      'updated_datetime',
      rng.pick(['2026-05-01T08:30:00+02:00', '2026-06-01T11:00:00Z', '2099-01-01T00:00:00Z']),
    );
  }),
  noise('update_id_ext instead of update_id', 0.15, (d) => {
    const id = d.body.find(([k]) => k === 'update_id')![1];
    set(d.body, 'update_id');
    set(d.body, 'update_id_ext', id);
  }),
];

const UPDATE_BREAKERS: Breaker[] = [
  breaker('no service_request_id', 400, (d) => set(d.body, 'service_request_id')),
  breaker('a service_request_id of the wrong type', 404, (d, rng) => {
    set(
      d.body,
      'service_request_id',
      rng.pick([...words('abc 0 -1 1e5 1.0 01 +1 0x10 99999999999999999999'), ' 1']),
    );
  }),
  breaker('an unknown service_request_id', 404, (d, rng) =>
    set(d.body, 'service_request_id', String(rng.int(100_000, 1e9))),
  ),
  breaker('a service_request_id over 20 characters', 400, (d, rng) =>
    set(d.body, 'service_request_id', '1'.repeat(rng.int(21, 500))),
  ),
  breaker('service_request_id given twice', 400, (d) => {
    const id = d.body.find(([k]) => k === 'service_request_id')![1];
    set(d.body, 'service_request_id', id, id);
  }),
  breaker('no update_id', 400, (d, rng) => {
    set(d.body, 'update_id', ...(rng.chance(0.5) ? [''] : []));
    set(d.body, 'update_id_ext');
  }),
  breaker('an update_id over 200 characters', 400, (d, rng) =>
    set(d.body, 'update_id', rng.text(201, 2000, ALPHABETS.stable)),
  ),
  breaker('update_id given twice', 400, (d) => set(d.body, 'update_id', 'u1', 'u2')),
  breaker('a status nobody knows', 400, (d, rng) => {
    const known = rng.pick([
      ...words('foo FIXED! OPENED open,closed in_progres 1 null'),
      'open closed',
      `z${rng.text(0, 40, MIXED)}`,
    ]);
    set(d.body, 'status', known);
  }),
  breaker('neither a status nor a description', 400, (d, rng) => {
    set(d.body, 'status', ...(rng.chance(0.5) ? [''] : []));
    set(d.body, 'description', ...(rng.chance(0.5) ? [rng.text(1, 5, ALPHABETS.forbidden)] : []));
  }),
  breaker('an updated_datetime that is not a W3C datetime', 400, (d, rng) =>
    set(d.body, 'updated_datetime', rng.pick(NOT_DATETIME)),
  ),
  breaker('a description over 4000 characters', 400, (d, rng) =>
    set(d.body, 'description', rng.text(4001, 50_000, ALPHABETS.stable)),
  ),
];

export const ALL_UPDATE_BREAKERS = [...WRITE_BREAKERS, ...UPDATE_BREAKERS];

/** A case: a valid update (with a fresh `update_id`) to request `requestId`, noise, then the breaker. */
export function draftUpdate(
  rng: Rng,
  requestId: string,
  updateId: string,
  breaker: Breaker | undefined,
): Draft {
  const body: Pair[] = [
    ['api_key', DEMO_API_KEY],
    ['service_request_id', requestId],
    ['update_id', updateId],
    ['status', 'IN_PROGRESS'],
  ];
  return blur(
    baseDraft(rng, 'servicerequestupdates', body),
    rng,
    [...WRITE_NOISE, ...UPDATE_NOISE],
    breaker,
  );
}
