import {
  ALPHABETS,
  BAD_ESCAPES,
  NOT_DATETIME,
  NOT_DECIMAL,
  encodePairs as q,
  encodeSegment,
  words,
  type Rng,
} from './bad-input.ts';

/**
 * Generators of malformed GET cases: query strings with one trick each (and the status every resource
 * owes it), and names that are no service code, request id or token.
 */

export const ENDPOINTS = [
  'discovery',
  'services',
  'service',
  'requests',
  'request',
  'token',
  'updates',
  'widget-config',
] as const;
export type Endpoint = (typeof ENDPOINTS)[number];

export interface QueryTrick {
  name: string;
  /** The status each endpoint owes; undefined: any answer but a 5xx. */
  status(endpoint: Endpoint): number | undefined;
  /** An encoded query string carrying the trick. */
  make(rng: Rng): string;
}

/** Every resource but discovery reads its query (for `jurisdiction_id`); discovery takes none. */
export const readsQuery = (status: number) => (e: Endpoint) => (e === 'discovery' ? 200 : status);
/** Only `requests.{fmt}` reads the filters. */
const filtersRequests = (status: number) => (e: Endpoint) => (e === 'requests' ? status : 200);
/** `requests.{fmt}` and `servicerequestupdates.{fmt}` read the date window. */
const readsDates = (status: number) => (e: Endpoint) =>
  e === 'requests' || e === 'updates' ? status : 200;
const always = (status: number | undefined) => () => status;
const trick = (name: string, status: QueryTrick['status'], make: QueryTrick['make']) => ({
  name,
  status,
  make,
});

export const MIXED = [...ALPHABETS.ascii, ...ALPHABETS.punctuation, ...ALPHABETS.unicode];
/** Request ids of the wrong type (the last, a blank, is dropped from comma lists). */
export const ID_JUNK = [
  ...words('0 -1 1e5 99999999999999999999 1.0 01 +1 abc 0x10 NaN Infinity １ 😀 null [1] 1;2'),
  ' ',
];
const DAY = 86_400;
const iso = (seconds: number) => new Date(seconds * 1000).toISOString();
const randomDate = (rng: Rng) =>
  Date.UTC(rng.int(1990, 2030), rng.int(0, 11), rng.int(1, 28)) / 1000;

/** Parameters no resource knows, with hostile names and values. */
export const junkParams = (rng: Rng, n: number) =>
  q(
    Array.from(
      { length: n },
      () => [`x-${rng.text(0, 20, MIXED)}`, rng.text(0, 40, ALPHABETS.hostile)] as const,
    ),
  );

const BAD_STATUS = [
  ...words('foo opened OPEN;closed open,foo closed,x 1 true null [] ouvert öpen'),
  'open closed',
  'open\0x',
];
const DOUBLED_FILTERS = [
  ['status', 'open', 'closed'],
  ['status', 'open', 'open'],
  ['service_code', 'nid-de-poule', 'lampadaire'],
  ['service_request_id', '1', '2'],
] as const;
const DOUBLED_DATES = [
  ['start_date', '2026-05-01T00:00:00Z', '2026-05-02T00:00:00Z'],
  ['end_date', '2026-05-01T00:00:00Z', '2026-05-01T00:00:00Z'],
] as const;
/** Location, window and paging extensions of `GET requests` given wrongly, as OPEN311.md says is a 400. */
const BAD_EXTENSIONS = [
  ...words(
    'lat=abc long=NaN radius=-1 radius=1e999 bbox=a,b,c,d bbox=1,2,3 bbox=1,2,3,4,5 bbox=0,0,1,1e9',
  ),
  ...words(
    'lat=45&long=4&radius=abc lat=91&long=0&radius=10 lat=45&long=4 lat=45&long=4&radius=10&bbox=0,0,1,1',
  ),
  ...words('updated_after=foo updated_before=0 updated_after=2026-05-01'),
];
/** Extensions whose wrong values OPEN311.md does not rule on: any answer but a 5xx. */
const ODD_EXTENSIONS = words(
  'page=0 page=-1 page=1e999 page_size=0 page_size=abc page_size=1e999 extensions=maybe extensions=',
);

export const QUERY_TRICKS: QueryTrick[] = [
  trick('a malformed %-escape', readsQuery(400), (rng) => {
    const bad = rng.pick(BAD_ESCAPES);
    return rng.pick([
      `x=${bad}`,
      `${bad}=1`,
      `jurisdiction_id=ville${bad}`,
      `status=open${bad}`,
      bad,
    ]);
  }),
  trick('jurisdiction_id given twice', readsQuery(400), (rng) => {
    const second = rng.pick(['ville.example', 'autre.example', rng.text(1, 30, MIXED)]);
    return q([
      ['jurisdiction_id', 'ville.example'],
      ['jurisdiction_id', second],
    ]);
  }),
  trick('an unknown jurisdiction_id', readsQuery(404), (rng) =>
    q([['jurisdiction_id', `j${rng.text(0, 60, MIXED)}`]]),
  ),
  trick('a jurisdiction_id over 200 characters', readsQuery(400), (rng) =>
    q([['jurisdiction_id', rng.text(201, 5000, ALPHABETS.stable)]]),
  ),
  trick('a date that is not a W3C datetime with a zone', readsDates(400), (rng) => {
    const value = rng.chance(0.8) ? rng.pick(NOT_DATETIME) : rng.text(1, 40, MIXED);
    return q([[rng.pick(['start_date', 'end_date']), value]]);
  }),
  trick('a date window over 90 days or reversed', readsDates(400), (rng) => {
    const start = randomDate(rng);
    const end = rng.chance(0.5)
      ? start + 90 * DAY + rng.int(1, 3650 * DAY)
      : start - rng.int(1, 1e8);
    return q([
      ['start_date', iso(start)],
      ['end_date', iso(end)],
    ]);
  }),
  trick('a status other than open or closed', filtersRequests(400), (rng) => {
    return q([['status', rng.chance(0.6) ? rng.pick(BAD_STATUS) : `x${rng.text(0, 40, MIXED)}`]]);
  }),
  trick('a status list of more than 10 items', filtersRequests(400), (rng) => {
    return q([
      [
        'status',
        Array(rng.int(11, 300))
          .fill(rng.pick(['open', 'closed', 'OPEN']))
          .join(','),
      ],
    ]);
  }),
  trick('service_request_id listing more than 1000 items', filtersRequests(400), (rng) => {
    const item = () => (rng.chance(0.5) ? String(rng.int(1, 1e6)) : rng.pick(ID_JUNK.slice(0, -1)));
    return q([['service_request_id', Array.from({ length: rng.int(1001, 5000) }, item).join(',')]]);
  }),
  trick(
    'service_code listing more than 1000 items or 100000 characters',
    filtersRequests(400),
    (rng) => {
      const list = () =>
        Array.from({ length: rng.int(1001, 3000) }, () => `x${rng.text(1, 8)}`).join(',');
      return q([
        ['service_code', rng.chance(0.5) ? list() : rng.text(100_001, 120_000, ALPHABETS.stable)],
      ]);
    },
  ),
  trick('a filter given twice', filtersRequests(400), (rng) => {
    const [name, a, b] = rng.pick(DOUBLED_FILTERS);
    return q([
      [name, a],
      ['x', rng.text(0, 5)],
      [name, b],
    ]);
  }),
  trick('a date given twice', readsDates(400), (rng) => {
    const [name, a, b] = rng.pick(DOUBLED_DATES);
    return q([
      [name, a],
      [name, b],
    ]);
  }),
  trick('service_request_id items of the wrong type', always(200), (rng) => {
    return q([
      [
        'service_request_id',
        Array.from({ length: rng.int(1, 200) }, () => rng.pick(ID_JUNK)).join(','),
      ],
    ]);
  }),
  trick('a location, window or paging extension given wrongly', filtersRequests(400), (rng) =>
    rng.pick(BAD_EXTENSIONS),
  ),
  trick('paging or extensions of the wrong type, or free text', always(undefined), (rng) => {
    const texts = words('locale search q agency_responsible').map((k) =>
      q([[k, rng.text(0, 50, ALPHABETS.hostile)]]),
    );
    return Array.from({ length: rng.int(1, 4) }, () =>
      rng.pick([...ODD_EXTENSIONS, ...texts]),
    ).join('&');
  }),
  // widget-config checks a key it is given (403 for a wrong one, 400 for one over 200 characters).
  trick('an api_key of any value', (e) => (e === 'widget-config' ? undefined : 200), (rng) => {
    return q([
      ['api_key', rng.pick(['', 'demo-public-key', 'nope', rng.text(1, 300, ALPHABETS.hostile)])],
    ]);
  }),
  trick('unknown parameters with hostile names and values', always(200), (rng) =>
    junkParams(rng, rng.int(1, 30)),
  ),
  trick('ten thousand parameters', always(200), (rng) =>
    q(Array.from({ length: 10_000 }, (_, i) => [`x${i}`, rng.text(0, 3)] as const)),
  ),
  trick('a 100 kB parameter name or value', always(200), (rng) => {
    return rng.chance(0.5)
      ? `x${'k'.repeat(100_000)}=1`
      : q([['x-value', rng.text(100_000, 100_000, ALPHABETS.stable)]]);
  }),
  trick(
    'known parameters left empty',
    always(200),
    () => 'jurisdiction_id=&status=&start_date=&end_date=&service_code=&service_request_id=&&=&',
  ),
  trick('a jurisdiction_id padded with characters XML forbids', always(200), (rng) => {
    const pad = (min: number) => rng.text(min, 3, ALPHABETS.forbidden);
    return q([['jurisdiction_id', `${pad(0)}ville.example${pad(1)}`]]);
  }),
];

/** Headers a client may send with a GET that must change nothing. */
export const HEADER_NOISE: [string, string][] = [
  ['accept', 'text/html'],
  ['accept', '*/*;q=foo'],
  ['accept-language', 'xx-\xff;q=2,,,'],
  ['content-type', 'multipart/form-data; boundary='],
  ['content-type', 'application/json'],
  ['x-forwarded-for', '::1, 999.999.1.1'],
  ['origin', 'null'],
  ['cookie', 'a=%zz'],
  ['authorization', 'Basic %%%'],
];

/** Names that are no service code, request id or token, made from the real one or from nothing. */
export const NAME_TRICKS: { name: string; make(rng: Rng, real: string): string }[] = [
  { name: 'an id of the wrong type', make: (rng) => encodeSegment(rng.pick(ID_JUNK.slice(0, -1))) },
  { name: 'a broken %-escape', make: (rng) => `z${rng.pick(BAD_ESCAPES)}` },
  {
    name: 'an encoded NUL, slash or dot-dot',
    make: (rng, real) =>
      rng.pick([
        '%00',
        `${real}%00`,
        '%2F',
        `a%2F${real}`,
        '%2e%2e%2fservices',
        '..%2f..%2fhealth',
        '%5C',
        '%25',
      ]),
  },
  { name: 'unicode', make: (rng) => `z${encodeSegment(rng.text(1, 40, ALPHABETS.unicode))}` },
  {
    name: 'hostile characters',
    make: (rng) => `z${encodeSegment(rng.text(1, 60, ALPHABETS.hostile))}`,
  },
  {
    name: 'a very long name',
    make: (rng) => `z${rng.text(1000, 30_000, ALPHABETS.ascii.slice(0, 62))}`,
  },
  {
    name: 'the real name with another case, a leading zero or a suffix',
    make: (rng, real) =>
      rng.pick([
        /[a-z]/.test(real) ? real.toUpperCase() : `${real}_`,
        `0${real}`,
        `${real}.xml`,
        `${real}.json`,
        `${real}%20`,
        `%20${real}`,
      ]),
  },
];

/**
 * Any JSON value, from the plain to the absurd (deep, long, wrongly typed): objects take their keys
 * from `keys` (the names a resource knows) or anything.
 */
export function anyJsonOf(rng: Rng, keys: readonly string[], depth = 0): unknown {
  switch (rng.int(0, depth > 2 ? 5 : 8)) {
    case 0: return null;
    case 1: return rng.chance(0.5);
    case 2: return rng.pick([0, -1, 1.5, 1e300, Number.MAX_SAFE_INTEGER, 12]);
    case 3: return rng.pick([...ID_JUNK, ...NOT_DECIMAL, ...NOT_DATETIME]);
    case 4: return rng.text(0, 30, MIXED);
    case 5: return 'x'.repeat(rng.int(1000, 9000));
    case 6: return Array.from({ length: rng.int(0, 4) }, () => anyJsonOf(rng, keys, depth + 1));
    default: return Object.fromEntries(Array.from({ length: rng.int(0, 5) }, () => [rng.pick([...keys, rng.text(1, 8)]), anyJsonOf(rng, keys, depth + 1)]));
  }
}
