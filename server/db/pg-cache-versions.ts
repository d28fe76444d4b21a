import postgres from 'postgres';

/** The channel migration 018 announces each bump on, and the prefix of the NOTICE the writer gets. */
const CHANNEL = 'georeport_cache';
/** `<counter> <town> <version>`; the town is `''` for a counter of every town, and never holds a space. */
const ANNOUNCED = /^(\w+) (\S*) (\d+)$/;
/** Seconds between attempts to listen again while the database refuses the connection (then at most 10). */
const RETRY = (attempt: number) => Math.min(attempt, 10);

export interface CacheVersionBoard {
  /**
   * The version of a counter for a town as the announcements made it known, with no query; undefined
   * when it must be read from the database: until this process listens, while it does not (the connection
   * was lost: an announcement may be missed), and between a commit of this process and its announcement.
   */
  known(name: string, town: string): number | undefined;
  /** To be told every NOTICE the pool's connections receive (connectPostgres hands them over). */
  noticed(notice: postgres.Notice): void;
  /** Stops listening. */
  close(): Promise<void>;
}

/**
 * The cache versions of a PostgreSQL store, kept in memory from the announcements of migration 018, so
 * a cached read costs no query on any of the servers sharing the store.
 *
 * - It listens on a connection of its own (the pool's settings, one connection, no idle or life limit),
 *   from the first `known` on. `sql.listen` is not used: it reconnects, but says nothing when its
 *   connection is lost, and an announcement made meanwhile would never come; here the pool's `onclose`
 *   says so at once, `known` answers undefined (reads query the version, as on SQLite) until the
 *   connection listens again and has read every version anew, and a refused reconnection is retried.
 * - LISTEN comes before that reading, and a version only moves up (a counter's row is never deleted), so
 *   an announcement crossing the reading is kept whichever comes first.
 * - A commit of this process is known from the NOTICE its COMMIT brings back, before the commit resolves:
 *   the counter is then read from the database until its announcement arrives, so the server that wrote
 *   answers from the new data at once. (A NOTICE whose commit failed after its triggers ran keeps the
 *   counter read until the next announcement of a version at least as high: never stale, only slower.)
 * - Memory: one number per counter row, rows the database holds (two per town, and the global ones).
 */
export function createCacheVersionBoard(sql: postgres.Sql): CacheVersionBoard {
  const versions = new Map<string, number>();
  /** Versions this process committed and has not heard announced yet. */
  const pending = new Map<string, number>();
  let listener: postgres.Sql | undefined;
  let live = false;
  let closing = false;
  let retry: ReturnType<typeof setTimeout> | undefined;
  let attempts = 0;
  /** Moves at each connection lost, so a listen started before it does not declare the new one live. */
  let generation = 0;

  const heard = (payload: string) => {
    const m = ANNOUNCED.exec(payload);
    if (!m) return;
    const key = `${m[1]} ${m[2]}`;
    const version = Number(m[3]);
    if (version > (versions.get(key) ?? -1)) versions.set(key, version);
    if (version >= (pending.get(key) ?? Infinity)) pending.delete(key);
  };

  /** A NOTICE of the pool: a commit of this process that bumped a version (its announcement may come later). */
  const noticed = (notice: postgres.Notice) => {
    const m = ANNOUNCED.exec(notice.message?.startsWith(`${CHANNEL} `) ? notice.message.slice(CHANNEL.length + 1) : '');
    if (!m) return;
    const key = `${m[1]} ${m[2]}`;
    const version = Number(m[3]);
    // The announcement, on the other connection, may have come first.
    if (version > (versions.get(key) ?? -1)) pending.set(key, Math.max(version, pending.get(key) ?? 0));
  };

  /** The listening connection closed: listen again at once if it was listening (a failed attempt retries later). */
  const lost = () => {
    const was = live;
    live = false;
    generation++;
    if (was && !closing && retry === undefined) listen();
  };

  function listen(): void {
    retry = undefined;
    listener ??= postgres({
      ...sql.options,
      max: 1,
      idle_timeout: null,
      max_lifetime: null,
      query_timeout: 0,
      // Named, so that an operator (or a test) finds it in pg_stat_activity.
      connection: { ...sql.options.connection, application_name: 'georeport cache versions' },
      onclose: lost,
      onnotify: (channel: string, payload: string) => channel === CHANNEL && heard(payload),
    } as unknown as postgres.Options<{}>);
    const conn = listener;
    const started = generation;
    (async () => {
      await conn.unsafe(`LISTEN ${CHANNEL}`);
      const rows = await conn.unsafe<{ name: string; jurisdiction_id: string; version: number }[]>('SELECT name, jurisdiction_id, version FROM cache_versions');
      for (const r of rows) heard(`${r.name} ${r.jurisdiction_id} ${r.version}`);
    })().then(
      () => {
        if (started !== generation || closing) return;
        attempts = 0;
        live = true;
      },
      () => {
        if (closing || retry !== undefined) return;
        retry = setTimeout(listen, RETRY(++attempts) * 1000);
        retry.unref();
      },
    );
  }

  return {
    noticed,
    known(name, town) {
      if (!live) {
        if (!listener && !closing) listen();
        return undefined;
      }
      const key = `${name} ${town}`;
      return pending.has(key) ? undefined : (versions.get(key) ?? 0);
    },
    async close() {
      closing = true;
      live = false;
      clearTimeout(retry);
      await listener?.end({ timeout: 1 });
    },
  };
}
