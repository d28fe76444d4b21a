import { gzipSync } from 'node:zlib';

/** Answers of at least this many bytes are gzipped for clients that accept it (a page of 50 shrinks about eightfold). */
export const COMPRESS_FROM = 4096;

/** A formatted answer as it is sent: its bytes, and their gzip form once a client has asked for it. */
export interface Answer {
  body: Uint8Array<ArrayBuffer>;
  gzip: Uint8Array<ArrayBuffer> | null;
  contentType: string;
  /** Headers that belong to the answer itself (`X-Result-Count`…). */
  headers: Record<string, string>;
  /** A paged answer's next page, linked from each caller's own URL; null on the last page. */
  nextPage: number | null;
}

/** What an entry costs beside its bytes: its key, the Map's and the object's own (measured roughly, kept on the safe side). */
const OVERHEAD = 400;

const encoder = new TextEncoder();
const ownBytes = (b: Buffer) => new Uint8Array(b.buffer as ArrayBuffer, b.byteOffset, b.byteLength);

/** An answer of `text` (its own bytes, never a view of a shared pool). */
export function answerOf(text: string, contentType: string, headers: Record<string, string> = {}, nextPage: number | null = null): Answer {
  return { body: encoder.encode(text), gzip: null, contentType, headers, nextPage };
}

/** The gzip form of a large answer, made at the first client that accepts it and kept with the answer. */
export function gzipped(answer: Answer): Uint8Array<ArrayBuffer> | null {
  if (answer.body.byteLength < COMPRESS_FROM) return null;
  answer.gzip ??= ownBytes(gzipSync(answer.body, { level: 1 }));
  return answer.gzip;
}

const sizeOf = (key: string, a: Answer) =>
  OVERHEAD + key.length * 2 + a.body.byteLength + (a.gzip?.byteLength ?? 0) + Object.entries(a.headers).reduce((n, [k, v]) => n + (k.length + v.length) * 2, 0);

export type AnswerCache = ReturnType<typeof createAnswerCache>;

/**
 * Formatted answers of this process, bounded in bytes (`maxBytes`, 0: none kept) and evicted least
 * recently used first. Keys carry the data versions they were computed at (see cached-answer.ts), so an
 * entry is never stale: a change makes new keys, and the old entries age out. An answer larger than
 * an eighth of the bound is not kept (one huge answer would empty the cache for everyone else).
 *
 * Concurrent misses on one key compute once (`load`): at a version change, the 32 connections asking
 * for the default query wait for one computation instead of running 32. Those waiting are requests in
 * progress, so this map is bounded by the connections, not by what clients can invent.
 */
export function createAnswerCache({ maxBytes }: { maxBytes: number }) {
  const entries = new Map<string, { answer: Answer; size: number }>();
  const loading = new Map<string, Promise<Answer>>();
  const maxEntry = Math.floor(maxBytes / 8);
  let bytes = 0;

  const drop = (key: string) => {
    const held = entries.get(key);
    if (!held) return;
    entries.delete(key);
    bytes -= held.size;
  };

  /** Keeps (or re-measures, once its gzip form is made) `answer` under `key`, evicting the oldest until it fits. */
  function keep(key: string, answer: Answer): void {
    drop(key);
    const size = sizeOf(key, answer);
    if (size > maxEntry) return;
    // A Map iterates in insertion order, and a read moves its entry to the end: the first key is the least recently used.
    for (const oldest of entries.keys()) {
      if (bytes + size <= maxBytes) break;
      drop(oldest);
    }
    entries.set(key, { answer, size });
    bytes += size;
  }

  return {
    /** The answer under `key`, computed by `compute` when absent (and then kept if it fits). */
    async load(key: string, compute: () => Promise<Answer>): Promise<Answer> {
      const held = entries.get(key);
      if (held) {
        entries.delete(key);
        entries.set(key, held);
        return held.answer;
      }
      let pending = loading.get(key);
      if (!pending) {
        pending = compute().finally(() => loading.delete(key));
        loading.set(key, pending);
        keep(key, await pending);
      }
      return pending;
    },
    /** `gzipped`, counting the gzip form in the bound when the answer is kept. */
    gzip(key: string, answer: Answer): Uint8Array<ArrayBuffer> | null {
      if (answer.gzip !== null || answer.body.byteLength < COMPRESS_FROM) return gzipped(answer);
      const zipped = gzipped(answer);
      if (entries.get(key)?.answer === answer) keep(key, answer);
      return zipped;
    },
    /** Bytes held (answers, their gzip forms, keys and an estimate of the rest), for /metrics. */
    get bytes() {
      return bytes;
    },
    get size() {
      return entries.size;
    },
  };
}
