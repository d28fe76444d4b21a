import { DEMO_API_KEY } from '../../server/keys/demo-key.ts';
import { BASE } from './app.ts';
import {
  ALPHABETS,
  brief,
  encodePairs,
  formatOfUrl,
  words,
  type Format,
  type Rng,
} from './bad-input.ts';

/**
 * Generators of `POST requests.{fmt}` cases. A case is a valid report to a demo service, blurred by
 * noise that must change nothing (unknown fields, hostile text, another encoding…), then broken by at
 * most one breaker (`bad-post.breakers.ts`) whose status is known. With no breaker the report must be
 * accepted: that proves the noise alone is harmless and that the cases reach the validation layer.
 */

export type Pair = [string, string];

/** A write under construction: a report to `requests`, or an update to `servicerequestupdates`. */
export interface Draft {
  format: Format;
  /** The resource written to, without its extension. */
  resource: string;
  /** The demo service of a report. */
  service?: DemoService;
  body: Pair[];
  query: Pair[];
  multipart: boolean;
  everyByte: boolean;
  contentType: string;
  /** Replaces the encoded body (sent with `contentType`). */
  rawBody?: string;
  /** Raw pieces appended to a urlencoded body, each after a `&`. */
  extraBody: Uint8Array[];
  /** Raw pieces appended to the query string. */
  extraQuery: string[];
  /** Another path than `{resource}.{fmt}`. */
  path?: string;
  notes: string[];
}

export interface DemoService {
  code: string;
  batch?: boolean;
  /** Attribute fields of a valid report. */
  valid: Pair[];
}

/** Demo services covering every attribute datatype, a batch service and one without attributes. */
const SERVICES: DemoService[] = [
  { code: 'nid-de-poule', valid: [['attribute[taille]', 'petit']] },
  {
    code: 'signalisation',
    valid: [
      ['attribute[equipement][]', 'panneau'],
      ['attribute[equipement][]', 'feu'],
    ],
  },
  {
    code: 'encombrants',
    batch: true,
    valid: [
      ['attribute[objets]', 'un buffet'],
      ['attribute[volume-m3]', '2.5'],
    ],
  },
  {
    code: 'lampadaire',
    valid: [
      ['attribute[nombre]', '2'],
      ['attribute[panne]', 'clignote'],
      ['attribute[depuis]', '2026-05-01T08:30:00+02:00'],
      ['attribute[lieu]', 'ecole'],
      ['attribute[lieu]', 'parc'],
    ],
  },
  { code: 'trottoir-degrade', valid: [] },
];

export interface Step {
  name: string;
  apply(d: Draft, rng: Rng): void;
}

/** One thing wrong with a report, the status it must get, and the services it applies to (all when absent). */
export interface Breaker extends Step {
  status: number;
  services?: string[];
}

export const MIXED = [...ALPHABETS.ascii, ...ALPHABETS.punctuation, ...ALPHABETS.unicode];
export const utf8 = (text: string) => new TextEncoder().encode(text);

/** Removes every `name` field, then appends `values` under that name. */
export function set(pairs: Pair[], name: string, ...values: string[]): void {
  for (let i = pairs.length - 1; i >= 0; i--) if (pairs[i]![0] === name) pairs.splice(i, 1);
  for (const value of values) pairs.push([name, value]);
}

export const has = (pairs: Pair[], name: string) => pairs.some(([k, v]) => k === name && v !== '');

/** Sets an attribute under its plain spelling, `attribute[c]`, after removing both spellings. */
export function setAttribute(d: Draft, code: string, ...values: string[]): void {
  set(d.body, `attribute[${code}][]`);
  set(d.body, `attribute[${code}]`, ...values);
}

const junkFields = (rng: Rng, n: number) =>
  Array.from({ length: n }, (): Pair => [
    `x-${rng.text(0, 20, MIXED)}`,
    rng.text(0, 40, ALPHABETS.hostile),
  ]);
const hostile = (rng: Rng, max: number) => rng.text(0, max, ALPHABETS.hostile);
export type Noise = Step & { p: number };
const noise = (name: string, p: number, apply: Step['apply']): Noise => ({ name, p, apply });

/** Changes any valid write must survive, each with its probability. */
export const WRITE_NOISE = [
  noise('api_key in the query', 0.2, (d) => {
    set(d.body, 'api_key');
    set(d.query, 'api_key', DEMO_API_KEY);
  }),
  noise('jurisdiction_id given', 0.2, (d, rng) => {
    (rng.chance(0.5) ? d.body : d.query).push(['jurisdiction_id', 'ville.example']);
  }),
  noise('unknown fields', 0.3, (d, rng) => d.body.push(...junkFields(rng, rng.int(1, 8)))),
  noise('hostile text in free fields', 0.4, (d, rng) => {
    set(d.body, 'description', hostile(rng, 300));
    set(d.body, 'address_string', hostile(rng, 100));
    for (const k of words('first_name last_name account_id device_id'))
      if (rng.chance(0.4)) set(d.body, k, hostile(rng, 10));
  }),
  noise('multipart/form-data', 0.25, (d) => void (d.multipart = true)),
  noise('every byte %-escaped', 0.15, (d) => void (d.everyByte = true)),
  noise('stray separators', 0.15, (d) => d.extraBody.push(...['', 'flag', '=', '=x'].map(utf8))),
  noise('a form content type with parameters or capitals', 0.15, (d, rng) => {
    const types = [
      'application/x-www-form-urlencoded; charset=UTF-8',
      'Application/X-WWW-Form-Urlencoded',
      'application/x-www-form-urlencoded;charset=latin1',
    ];
    d.contentType = rng.pick(types);
  }),
  noise('unknown query parameters', 0.15, (d, rng) =>
    d.query.push(...junkFields(rng, rng.int(1, 5))),
  ),
  noise('ten thousand fields', 0.01, (d) => {
    for (let i = 0; i < 10_000; i++) d.body.push([`x${i}`, String(i)]);
  }),
  // A multipart part's headers are held to 16 kB (busboy refuses longer ones as malformed).
  noise('a very long field name', 0.02, (d, rng) =>
    d.body.push([`x${'k'.repeat(rng.int(1000, d.multipart ? 15_000 : 100_000))}`, 'v']),
  ),
  noise('a 100 kB unknown value', 0.02, (d, rng) =>
    d.body.push(['x-big', rng.text(100_000, 100_000, ALPHABETS.stable)]),
  ),
];

/** Changes a valid report must survive, each with its probability. */
const REPORT_NOISE = [
  noise('unknown or malformed attribute names', 0.3, (d, rng) => {
    const names = words(
      'attribute[] attribute[x][y] attribute[taille][y] attribute[securite] attribute attributes[taille]',
    );
    names.push('attribute[a b]', `attribute[inconnu-${rng.text(1, 10)}]`);
    if (d.service!.code !== 'lampadaire') names.push('attribute[nombre]');
    for (let i = rng.int(1, 4); i > 0; i--)
      d.body.push([rng.pick(names), rng.pick(['abc', 'enorme', '', hostile(rng, 30)])]);
  }),
  noise('optional fields left empty', 0.2, (d, rng) => {
    for (const k of words('email phone description media_url address_id device_id first_name'))
      if (rng.chance(0.5)) d.body.push([k, '']);
  }),
  noise('valid personal data', 0.2, (d, rng) => {
    set(d.body, 'email', rng.pick(['a.b+c@exemple.fr', 'élodie@ville.example']));
    set(d.body, 'phone', '+33 1 23 45 67 89');
  }),
  noise('valid media URLs', 0.15, (d, rng) => {
    for (let i = rng.int(1, 10); i > 0; i--)
      d.body.push(['media_url', `https://img.example/p/${i}.jpg?a=1&b=é`]);
  }),
  noise('a title and a service object', 0.15, (d, rng) => {
    set(d.body, 'title', hostile(rng, 20));
    set(d.body, 'service_object_type', 'streetlight');
    set(d.body, 'service_object_id', `SL-${rng.int(1, 9999)}`);
  }),
  noise('another location form', 0.25, (d, rng) => {
    if (rng.chance(0.5)) for (const k of ['lat', 'long']) set(d.body, k);
    if (rng.chance(0.5)) set(d.body, 'address_string', '12 rue des Lilas');
    else set(d.body, 'address_id', `A-${rng.int(1, 999)}`);
  }),
  noise('coordinates at the limits or in odd decimal forms', 0.2, (d, rng) => {
    set(d.body, 'lat', rng.pick(words('-90 90 +0 -0 .5 45. 0.000000001')));
    set(d.body, 'long', rng.pick(words('-180 180 +179.9999999 .0')));
  }),
  noise('each attribute value repeated', 0.15, (d) => {
    for (const [k, v] of d.service!.valid)
      d.body.push([k.endsWith('[]') ? k.slice(0, -2) : `${k}[]`, v]);
  }),
];

/** A valid urlencoded write of `body` to `resource`, in a random format. */
export function baseDraft(rng: Rng, resource: string, body: Pair[]): Draft {
  return {
    format: rng.pick(['xml', 'json'] as const),
    resource,
    body,
    query: [],
    multipart: false,
    everyByte: false,
    contentType: 'application/x-www-form-urlencoded',
    extraBody: [],
    extraQuery: [],
    notes: [],
  };
}

/** Applies each noise by its probability, then the breaker if any, and notes both for the message. */
export function blur(d: Draft, rng: Rng, noises: Noise[], breaker: Breaker | undefined): Draft {
  for (const n of noises) {
    if (!rng.chance(n.p)) continue;
    n.apply(d, rng);
    d.notes.push(n.name);
  }
  if (breaker) {
    breaker.apply(d, rng);
    d.notes.unshift(`BREAKER ${breaker.name}`);
  }
  return d;
}

/** A case: a valid report to a service `breaker` applies to, random noise, then the breaker. */
export function draftCase(rng: Rng, breaker: Breaker | undefined): Draft {
  const services = SERVICES.filter((s) => !breaker?.services || breaker.services.includes(s.code));
  const service = rng.pick(services);
  const d = baseDraft(rng, 'requests', [
    ['api_key', DEMO_API_KEY],
    ['service_code', service.code],
    ['lat', '47.39'],
    ['long', '0.68'],
    ...service.valid.map((p): Pair => [...p]),
  ]);
  d.service = service;
  return blur(d, rng, [...WRITE_NOISE, ...REPORT_NOISE], breaker);
}

/** Whether the draft's service answers with a batch token rather than an id. */
export const isBatch = (d: Draft) => d.service?.batch === true;

/** The body, content type and a printable form of a draft. */
function encodeBody(d: Draft): { body: BodyInit; type: string | undefined; shown: string } {
  if (d.rawBody !== undefined) return { body: d.rawBody, type: d.contentType, shown: d.rawBody };
  if (d.multipart) {
    const form = new FormData();
    for (const [k, v] of d.body) form.append(k, v);
    return { body: form, type: undefined, shown: `multipart ${JSON.stringify(d.body)}` };
  }
  const pieces = [
    utf8(encodePairs(d.body, d.everyByte)),
    ...d.extraBody.flatMap((p) => [utf8('&'), p]),
  ];
  const bytes = new Uint8Array(Buffer.concat(pieces));
  return { body: bytes, type: d.contentType, shown: Buffer.from(bytes).toString('latin1') };
}

/** Sends a draft through `app.request()`; returns the answer, its format and a description of the case. */
export async function sendDraft(
  app: { request(url: string, init: RequestInit): Response | Promise<Response> },
  d: Draft,
): Promise<{ res: Response; format: Format; what: string }> {
  const query = [encodePairs(d.query, d.everyByte), ...d.extraQuery]
    .filter((s) => s !== '')
    .join('&');
  const url = `${BASE}${d.path ?? `${d.resource}.${d.format}`}${query === '' ? '' : `?${query}`}`;
  const { body, type, shown } = encodeBody(d);
  const res = await app.request(url, {
    method: 'POST',
    body,
    headers: type ? { 'content-type': type } : {},
  });
  const what = `[${d.notes.join('; ')}] POST ${brief(url.slice(BASE.length))} ${type ?? ''} ${brief(shown)}`;
  return { res, format: formatOfUrl(url), what };
}
