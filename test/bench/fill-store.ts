/**
 * Builds the benchmark's store: the demo city plus `count` published requests spread over the last
 * 80 days across the demo services, written through the server's own `requests.create` in one
 * transaction. Measured for 100,000: 3.5 s this way against 1.6 s with bench-only SQL before the search
 * triggers (full text, R*Tree) came; now ≈ 8 s, most of it in those triggers, which direct SQL fires too.
 * Both phases of the bench use it: 100,000 requests spread evenly over the city box, and 1,000,000
 * (`spread: 'city'`) denser towards the centre, as reports of a real town are.
 */
import { createCatalogueStore } from '../../server/catalogue/catalogue.store.ts';
import { seedDemo } from '../../server/cli/seed.ts';
import { createSqliteEngine } from '../../server/db/sqlite-engine.ts';
import { openDatabase, type Db } from '../../server/db/database.ts';
import { formatDatetime } from '../../server/georeport/datetime.ts';
import { createRequestsStore } from '../../server/requests/requests.store.ts';
import { draftRequest, type NewRequest } from '../../server/requests/requests.types.ts';
import { random } from '../helpers/random.ts';

const DAY = 86_400;
const SPREAD_DAYS = 80;
export const CENTER = { lat: 47.3941, long: 0.6848 };
/** Half the sides of the city box, in degrees: ≈ 4.4 km north–south by 4.5 km east–west around CENTER. */
export const CITY_HALF = { lat: 0.02, long: 0.03 };
const WORDS = ['Trou', 'profond', 'devant', "l'école", 'depuis', 'hier', 'soir', 'dangereux', 'pour', 'les', 'vélos', 'et', 'piétons'];

export interface FilledStore {
  file: string;
  /** Published requests in the store (the demo's own included). */
  requests: number;
  firstId: number;
  lastId: number;
  fillMs: number;
  /** A narrow query for one service, chosen to match about `size` requests. */
  page: { serviceCode: string; start: string; end: string; size: number };
}

export interface FillOptions {
  /** Size of the narrow service page to find (default 50). */
  pageSize?: number;
  /**
   * Where requests fall: `even` (default) uniformly over the city box; `city` 40% around the centre (a
   * normal spread of σ ≈ 800 m, kept inside the box) and 60% uniformly, so the centre is ≈ 5x as dense.
   */
  spread?: 'even' | 'city';
  /**
   * How requests are written: `create` (default), one by one through the server's own `requests.create`;
   * `batch`, the same rows a thousand at a time (see `batchWriter`), for large stores.
   */
  writer?: 'create' | 'batch';
  /** Runs on the seeded store before the requests are written (to add a bus app, say). */
  prepare?: (db: Db) => void | Promise<void>;
}

/** Writes drafted requests; `flush` writes any still held back. */
interface Writer {
  add(r: NewRequest): unknown;
  flush(): void;
}

const BATCH = 1000;

/**
 * Writes drafted requests as `requests.create` does (the request, an anonymous reporter, its public
 * "created" event, its photo URLs), a thousand at a time: one `INSERT … SELECT … FROM json_each(?)` per
 * table, prepared once, run in the caller's transaction. The R*Tree and full-text triggers fire for every
 * row all the same. Why batches: a statement whose triggers write to the FTS5 table opens a statement
 * savepoint, and FTS5 writes its pending terms out as a new segment at each savepoint (then merges them).
 * One segment per request is fine for 100,000 (≈ 12 s through `requests.create`) but superlinear beyond:
 * 400,000 took 150 s, and 1,000,000 had not finished after 13 minutes, row by row even without
 * `requests.create`'s own savepoint. One segment per thousand requests fills 1,000,000 in well under a minute.
 */
function batchWriter(db: Db): Writer {
  const requests = db.prepare<[string], { id: number }>(
    `INSERT INTO requests (jurisdiction_id, service_id, description, lat, long, address, agency_responsible, service_notice,
       requested_at, updated_at, channel)
     SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5, value ->> 6, value ->> 7,
       value ->> 8, value ->> 8, value ->> 9
     FROM json_each(?) ORDER BY key RETURNING id`,
  );
  const reporters = db.prepare<[string]>('INSERT INTO reporters (request_id) SELECT value FROM json_each(?)');
  const created = db.prepare<[string]>(
    `INSERT INTO request_events (request_id, type, detailed_status, public, actor, created_at)
     SELECT r.id, 'created', 'received', 1, 'anonymous', r.requested_at FROM requests r WHERE r.id IN (SELECT value FROM json_each(?))`,
  );
  const photos = db.prepare<[string]>(
    'INSERT INTO media (request_id, position, url, created_at) SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3 FROM json_each(?)',
  );
  let held: NewRequest[] = [];
  const flush = () => {
    if (held.length === 0) return;
    const rows = held.map((r) => [r.jurisdictionId, r.serviceId, r.description, r.lat, r.long, r.address, r.agencyResponsible,
      r.serviceNotice, r.now, r.channel]);
    // Ids grow in insertion order, which is the order of `rows`.
    const ids = requests.all(JSON.stringify(rows)).map((r) => r.id).sort((a, b) => a - b);
    const list = JSON.stringify(ids);
    reporters.run(list);
    created.run(list);
    const media = held.flatMap((r, i) => r.media.flatMap((m, position) => ('url' in m ? [[ids[i], position, m.url, r.now]] : [])));
    if (media.length) photos.run(JSON.stringify(media));
    held = [];
  };
  return {
    add(r) {
      held.push(r);
      if (held.length === BATCH) flush();
    },
    flush,
  };
}

/** σ of the dense part of a `city` spread, in degrees (≈ 800 m each way at this latitude). */
const CITY_SIGMA = { lat: 0.0072, long: 0.0106 };

/** Places of requests: a function drawing [lat, long] from `rand`. */
function placer(spread: FillOptions['spread'], rand: () => number): () => [number, number] {
  const even = (): [number, number] => [CENTER.lat + (rand() - 0.5) * 2 * CITY_HALF.lat, CENTER.long + (rand() - 0.5) * 2 * CITY_HALF.long];
  if (spread !== 'city') return even;
  // Box–Muller: two uniform draws give one normal draw per axis.
  const normal = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  return () => {
    if (rand() >= 0.4) return even();
    const lat = CENTER.lat + normal() * CITY_SIGMA.lat;
    const long = CENTER.long + normal() * CITY_SIGMA.long;
    return Math.abs(lat - CENTER.lat) < CITY_HALF.lat && Math.abs(long - CENTER.long) < CITY_HALF.long ? [lat, long] : even();
  };
}

export async function fillStore(file: string, count: number, nowMs: number, { pageSize = 50, spread = 'even', writer = 'create', prepare }: FillOptions = {}): Promise<FilledStore> {
  const db = openDatabase(file);
  try {
    // The stores are asynchronous: an engine on the same handle runs the seed and the fill's one transaction.
    const engine = createSqliteEngine(db);
    const { jurisdictionId } = await seedDemo(engine, nowMs);
    prepare?.(db);
    const services = await createCatalogueStore(engine).services(jurisdictionId);
    const rand = random(311);
    const place = placer(spread, rand);
    const now = Math.floor(nowMs / 1000);
    const started = performance.now();
    await engine.transaction(async (tx) => {
      const requests = createRequestsStore(tx);
      const write: Writer = writer === 'batch' ? batchWriter(db) : { add: requests.create, flush: () => {} };
      for (let i = 0; i < count; i++) {
        const service = services[Math.floor(rand() * services.length)]!;
        const words = Array.from({ length: 6 + Math.floor(rand() * 10) }, () => WORDS[Math.floor(rand() * WORDS.length)]);
        const [lat, long] = place();
        await write.add(
          draftRequest({
            jurisdictionId, serviceId: service.id, description: words.join(' '), channel: 'web',
            lat, long,
            address: `${1 + Math.floor(rand() * 120)} rue ${WORDS[i % WORDS.length]}`,
            agencyResponsible: service.agencyResponsible, serviceNotice: service.serviceNotice,
            media: i % 10 === 0 ? [{ url: `https://photos.ville.example/${i}.jpg`, hidden: false }] : [],
            // Oldest first, so ids grow with time as they do in service.
            now: now - SPREAD_DAYS * DAY + Math.floor(((i + rand()) / count) * SPREAD_DAYS * DAY),
          }),
        );
      }
      write.flush();
      // A third of the older requests are closed, as a city would have them.
      db.prepare(`UPDATE requests SET status = 'closed', detailed_status = 'fixed' WHERE id % 3 = 0 AND requested_at < ?`).run(now - 7 * DAY);
    });
    const fillMs = performance.now() - started;

    const ids = db.prepare<[], { first: number; last: number; n: number }>(
      `SELECT min(id) AS first, max(id) AS last, count(*) AS n FROM requests WHERE visibility = 'published' AND queued = 0`,
    ).get()!;
    // The newest `pageSize` requests of one service before ten days ago: a realistic narrow page.
    const serviceCode = 'nid-de-poule';
    const end = now - 10 * DAY;
    const start = db.prepare<[string, number, number], { at: number }>(
      `SELECT r.requested_at AS at FROM requests r JOIN services s ON s.id = r.service_id
       WHERE s.code = ? AND r.requested_at <= ? ORDER BY r.requested_at DESC LIMIT 1 OFFSET ?`,
    ).get(serviceCode, end, pageSize - 1)!.at;
    return {
      file, requests: ids.n, firstId: ids.first, lastId: ids.last, fillMs,
      page: { serviceCode, start: formatDatetime(start), end: formatDatetime(end), size: pageSize },
    };
  } finally {
    db.close();
  }
}
