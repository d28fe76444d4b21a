import { DEMO_API_KEY } from '../../server/keys/demo-key.ts';
import {
  ALPHABETS,
  BAD_ESCAPES,
  BAD_UTF8,
  NOT_DATETIME,
  NOT_DECIMAL,
  words,
  type Rng,
} from './bad-input.ts';
import {
  MIXED,
  has,
  set,
  setAttribute,
  utf8,
  type Breaker,
  type Draft,
  type Pair,
  type Step,
} from './bad-post.ts';

/** Each way a `POST requests.{fmt}` can be wrong, with the status the server owes it. */

const breaker = (
  name: string,
  status: number,
  apply: Step['apply'],
  services?: string[],
): Breaker => ({
  name,
  status,
  apply,
  ...(services ? { services } : {}),
});

const KEY = DEMO_API_KEY;
const coordinate = (rng: Rng) => rng.pick(['lat', 'long'] as const);
const partner = (name: 'lat' | 'long') => (name === 'lat' ? 'long' : 'lat');

/** Sets a coordinate and makes sure its partner is there, so that only the value is wrong. */
function setCoordinate(d: Draft, name: 'lat' | 'long', ...values: string[]): void {
  set(d.body, name, ...values);
  if (!has(d.body, partner(name))) set(d.body, partner(name), '1');
}

/** The demo catalogue's attributes, by what can go wrong with them. */
const LIST_KEYS: Record<string, string[]> = {
  taille: words('petit moyen grand'),
  emplacement: words('chaussee piste-cyclable parking'),
  equipement: words('panneau feu marquage'),
  panne: words('eteint clignote allume-jour endommage'),
  lieu: words('carrefour passage-pieton ecole parc'),
};
const MULTIVALUE = ['equipement', 'lieu'];
const REQUIRED: Record<string, string[]> = {
  'nid-de-poule': ['taille'],
  signalisation: ['equipement'],
  encombrants: ['objets'],
  lampadaire: ['nombre', 'panne'],
};
const LISTS: Record<string, string[]> = {
  'nid-de-poule': ['taille', 'emplacement'],
  signalisation: ['equipement'],
  lampadaire: ['panne', 'lieu'],
};
/** Single-valued attributes and two distinct valid values for each. */
const SINGLE: Record<string, string[][]> = {
  'nid-de-poule': [['taille', 'petit', 'grand']],
  encombrants: [
    ['objets', 'un buffet', 'une armoire'],
    ['volume-m3', '1', '2'],
  ],
  lampadaire: [
    ['nombre', '1', '2'],
    ['panne', 'eteint', 'clignote'],
    ['depuis', '2026-05-01T08:30:00Z', '2026-05-02T08:30:00Z'],
  ],
};
const NUMBER: Record<string, string> = { encombrants: 'volume-m3', lampadaire: 'nombre' };
const TEXT_LIMIT: Record<string, [string, number][]> = {
  encombrants: [['objets', 4000]],
  lampadaire: [
    ['precisions', 4000],
    ['numero-poteau', 1000],
  ],
};
const FIELD_LIMIT: [string, number][] = [
  ['first_name', 100],
  ['last_name', 100],
  ['device_id', 200],
  ['deviceid', 200],
  ['account_id', 200],
  ['address_string', 1000],
  ['address_id', 200],
  ['phone', 40],
];
const pickFor = <T>(table: Record<string, T[]>, d: Draft, rng: Rng): T =>
  rng.pick(table[d.service!.code]!);

/** A multipart body broken in one of the ways a parser must refuse. */
function brokenMultipart(d: Draft, rng: Rng): void {
  const b = `----georeport-bad-input-${rng.int(0, 1e9)}`;
  const part = ([k, v]: Pair) =>
    `--${b}\r\nContent-Disposition: form-data; name="${k.replace(/["\r\n]/g, '_')}"\r\n\r\n${v}\r\n`;
  const whole = `${d.body.map(part).join('')}--${b}--\r\n`;
  const [body, type] = rng.pick([
    () => [whole, 'multipart/form-data'],
    () => [whole, 'multipart/form-data; boundary=""'],
    () => [whole, `multipart/form-data; boundary=${b}x`],
    () => [
      whole.slice(0, rng.int(0, whole.lastIndexOf(`--${b}--`) - 1)),
      `multipart/form-data; boundary=${b}`,
    ],
    () => [whole.replaceAll('\r\n', '\n'), `multipart/form-data; boundary=${b}`],
    () => [
      `--${b}\r\nContent-Disposition: form-data\r\n\r\nabc\r\n${whole}`,
      `multipart/form-data; boundary=${b}`,
    ],
  ] as const)();
  d.rawBody = body;
  d.contentType = type;
}

/** What can be wrong with any authorised write: key, jurisdiction, encoding, body type, path. */
export const WRITE_BREAKERS: Breaker[] = [
  breaker('no api_key', 403, (d, rng) => {
    set(d.body, 'api_key');
    set(d.query, 'api_key');
    const lookalikes: Pair[] = [
      ['api_key[]', KEY],
      ['apikey', KEY],
      ['API_KEY', KEY],
      ['api_key', ''],
    ];
    if (rng.chance(0.5)) d.body.push(rng.pick(lookalikes));
  }),
  breaker('a wrong api_key', 403, (d, rng) => {
    set(d.query, 'api_key');
    set(
      d.body,
      'api_key',
      rng.pick([KEY.toUpperCase(), `${KEY}x`, ` ${KEY}`, `k${rng.text(0, 90, MIXED)}`]),
    );
  }),
  breaker('an api_key over 200 characters', 400, (d, rng) =>
    set(d.body, 'api_key', rng.text(201, 3000, ALPHABETS.stable)),
  ),
  breaker('api_key given twice', 400, (d, rng) =>
    set(d.body, 'api_key', KEY, rng.pick([KEY, 'other'])),
  ),
  breaker('an unknown jurisdiction_id', 404, (d, rng) =>
    set(d.body, 'jurisdiction_id', `j${rng.text(0, 90, MIXED)}`),
  ),
  breaker('jurisdiction_id given twice', 400, (d, rng) =>
    set(d.body, 'jurisdiction_id', 'ville.example', rng.pick(['ville.example', 'autre.example'])),
  ),
  breaker('a jurisdiction_id over 200 characters', 400, (d, rng) =>
    set(d.body, 'jurisdiction_id', rng.text(201, 5000, ALPHABETS.stable)),
  ),
  breaker('a malformed %-escape in the body', 400, (d, rng) => {
    const bad = rng.pick(BAD_ESCAPES);
    d.multipart = false;
    d.extraBody.push(utf8(rng.pick([`x=${bad}`, `${bad}=1`, `description=abc${bad}xyz`, bad])));
  }),
  breaker('bytes that are not UTF-8 in the body', 400, (d, rng) => {
    const bad = rng.pick(BAD_UTF8);
    d.multipart = false;
    d.extraBody.push(
      new Uint8Array(
        rng.chance(0.5) ? [...utf8('description=abc'), ...bad] : [...bad, ...utf8('=1')],
      ),
    );
  }),
  breaker('a malformed %-escape in the query', 400, (d, rng) => {
    d.extraQuery.push(rng.pick([`x=${rng.pick(BAD_ESCAPES)}`, rng.pick(BAD_ESCAPES)]));
  }),
  breaker('a body type other than a form', 400, (d, rng) => {
    d.multipart = false;
    d.contentType = rng.pick([
      ...words(
        'application/json text/plain application/xml application/octet-stream form-data x-www-form-urlencoded',
      ),
      'multipart/mixed; boundary=x',
      'text/html; charset=utf-8',
    ]);
    if (d.contentType === 'application/json')
      d.rawBody = JSON.stringify(Object.fromEntries(d.body));
  }),
  breaker('a broken multipart body', 400, brokenMultipart),
  breaker('a path other than the resource', 404, (d, rng) => {
    const r = d.resource;
    const paths = [
      r,
      `${r}.html`,
      `${r}.XML`,
      `${r}.json/`,
      `/${r}.json`,
      `${r}/1.json`,
      `${r}.json%00`,
    ];
    d.path = rng.pick([
      ...paths,
      r.slice(0, -1) + '.json',
      ...words('services.json discovery.xml tokens/x.json'),
    ]);
  }),
];

/** What can be wrong with a report, on top of `WRITE_BREAKERS`. */
export const BREAKERS: Breaker[] = [
  ...WRITE_BREAKERS,
  breaker('no service_code', 400, (d, rng) => {
    set(d.body, 'service_code');
    const lookalikes: Pair[] = [
      ['service_code[]', d.service!.code],
      ['SERVICE_CODE', d.service!.code],
      ['service_code', ''],
    ];
    if (rng.chance(0.5)) d.body.push(rng.pick(lookalikes));
  }),
  breaker('an unknown service_code', 404, (d, rng) => {
    const code = d.service!.code;
    set(
      d.body,
      'service_code',
      rng.pick([
        code.toUpperCase(),
        ` ${code}`,
        `${code} `,
        `${code}.json`,
        '../services',
        '%2e%2e',
        `z${rng.text(0, 90, MIXED)}`,
      ]),
    );
  }),
  breaker('a service_code over 200 characters', 400, (d, rng) =>
    set(d.body, 'service_code', rng.text(201, 100_000, ALPHABETS.stable)),
  ),
  breaker('service_code given twice', 400, (d, rng) =>
    set(d.body, 'service_code', d.service!.code, rng.pick([d.service!.code, 'lampadaire', 'zz'])),
  ),
  breaker('lat or long of the wrong type', 400, (d, rng) => {
    setCoordinate(
      d,
      coordinate(rng),
      rng.chance(0.8) ? rng.pick(NOT_DECIMAL) : `x${rng.text(0, 40, MIXED)}`,
    );
  }),
  breaker('lat or long out of range', 400, (d, rng) => {
    const name = coordinate(rng);
    setCoordinate(
      d,
      name,
      rng.pick(
        words(
          name === 'lat'
            ? '90.0000001 -90.01 91 -180 1000 99999999999999999999'
            : '180.0000001 -180.5 181 360 -1000',
        ),
      ),
    );
  }),
  breaker('lat without long or long without lat', 400, (d, rng) => {
    const name = coordinate(rng);
    set(d.body, name, '45');
    set(d.body, partner(name), ...(rng.chance(0.5) ? [''] : []));
  }),
  breaker('no location at all', 400, (d, rng) => {
    for (const k of words('lat long address_string address_id')) set(d.body, k);
    if (rng.chance(0.5))
      d.body.push(
        ['lat', ''],
        ['address_string', rng.text(1, 5, ALPHABETS.forbidden)],
        ['address_id', ''],
      );
  }),
  breaker('lat given twice', 400, (d, rng) =>
    setCoordinate(d, 'lat', '47.39', rng.pick(['47.39', '47.4'])),
  ),
  breaker('a title over 200 characters', 400, (d, rng) =>
    set(d.body, 'title', rng.text(201, 3000, ALPHABETS.stable)),
  ),
  breaker('service_object_id without service_object_type, or the reverse', 400, (d, rng) => {
    const [given, missing] = rng.pick([
      ['service_object_id', 'service_object_type'],
      ['service_object_type', 'service_object_id'],
    ]);
    set(d.body, missing, ...(rng.chance(0.5) ? [''] : []));
    set(d.body, given, `SL-${rng.int(1, 9999)}`);
  }),
  breaker('a description over 4000 characters', 400, (d, rng) => {
    set(
      d.body,
      'description',
      rng.chance(0.2) ? `${'a'.repeat(3999)}\r\n\r\n` : rng.text(4001, 100_000, ALPHABETS.stable),
    );
  }),
  breaker('an e-mail address that is not one', 400, (d, rng) => {
    set(
      d.body,
      'email',
      rng.pick([...words('foo a@b @x.fr a@ a@b. a@@b.fr'), 'a b@c.fr', `${'x'.repeat(255)}@b.fr`]),
    );
  }),
  breaker('a phone number with fewer than 3 digits', 400, (d, rng) =>
    set(d.body, 'phone', rng.pick(['12', 'abc', '+', '--', 'un deux trois'])),
  ),
  breaker('a personal or location field over its length', 400, (d, rng) => {
    const [name, max] = rng.pick(FIELD_LIMIT);
    if (name === 'deviceid') set(d.body, 'device_id'); // else device_id, read first, hides it
    set(d.body, name, rng.text(max + 1, max + 1000, ALPHABETS.stable));
  }),
  breaker('a media_url that is not an absolute http(s) URL', 400, (d, rng) => {
    const urls = [
      ...words(
        'javascript:alert(1) ftp://x.example/a.jpg /relative.jpg http:// data:image/png;base64,AAAA',
      ),
      'https:// x',
    ];
    set(d.body, 'media_url', rng.pick([...urls, `https://e.example/${'a'.repeat(2000)}`]));
  }),
  breaker('more than 10 media_url', 400, (d, rng) => {
    set(
      d.body,
      'media_url',
      ...Array.from({ length: rng.int(11, 30) }, (_, i) => `https://img.example/${i}.jpg`),
    );
  }),
  breaker(
    'a required attribute missing or misnamed',
    400,
    (d, rng) => {
      const code = pickFor(REQUIRED, d, rng);
      const value = d.service!.valid.find(([k]) => k.startsWith(`attribute[${code}]`))![1];
      setAttribute(d, code, ...(rng.chance(0.2) ? [''] : []));
      const near = [
        `attribute[${code}][y]`,
        `attribute[${code}][][]`,
        `attribute[${code.toUpperCase()}]`,
        `attribute[ ${code}]`,
        `attributes[${code}]`,
        `attribute.${code}`,
        `attribute[${code}`,
        `attribute_${code}`,
        code,
      ];
      if (rng.chance(0.7)) d.body.push([rng.pick(near), value]);
    },
    Object.keys(REQUIRED),
  ),
  breaker(
    'a list attribute with a value not among its keys',
    400,
    (d, rng) => {
      const code = pickFor(LISTS, d, rng);
      const keys = LIST_KEYS[code]!;
      const key = rng.pick(keys);
      const foreign = Object.values(LIST_KEYS)
        .flat()
        .filter((k) => !keys.includes(k));
      const wrong = rng.pick([
        key.toUpperCase(),
        ` ${key}`,
        `${key} `,
        rng.pick(foreign),
        `z${rng.text(0, 30, MIXED)}`,
      ]);
      setAttribute(d, code, ...(MULTIVALUE.includes(code) ? [key, wrong] : [wrong]));
    },
    Object.keys(LISTS),
  ),
  breaker(
    'a single-value attribute given two values',
    400,
    (d, rng) => {
      const [code, a, b] = pickFor(SINGLE, d, rng) as [string, string, string];
      setAttribute(d, code);
      const [first, second] = rng.pick([
        ['', ''],
        ['[]', '[]'],
        ['', '[]'],
      ]);
      d.body.push([`attribute[${code}]${first}`, a], [`attribute[${code}]${second}`, b]);
    },
    Object.keys(SINGLE),
  ),
  breaker(
    'a number attribute that is not a plain decimal',
    400,
    (d, rng) => {
      setAttribute(d, NUMBER[d.service!.code]!, rng.pick(NOT_DECIMAL));
    },
    Object.keys(NUMBER),
  ),
  breaker(
    'a datetime attribute that is not a W3C datetime',
    400,
    (d, rng) => setAttribute(d, 'depuis', rng.pick(NOT_DATETIME)),
    ['lampadaire'],
  ),
  breaker(
    'an attribute value over its length',
    400,
    (d, rng) => {
      const [code, max] = pickFor(TEXT_LIMIT, d, rng);
      setAttribute(d, code, rng.text(max + 1, max + 5000, ALPHABETS.stable));
    },
    Object.keys(TEXT_LIMIT),
  ),
];
