import type { Photo } from './photo.ts';

/**
 * Photos kept across a reload, in IndexedDB (local storage holds strings of a few MB at most; a JPEG
 * is a Blob, which IndexedDB stores as it is). Kept per draft, until the report is sent or started over.
 * Only the prepared JPEGs are kept (about 1 MB each, no metadata), never the originals, and at most
 * KEPT_MB of them: past that, or where IndexedDB is refused (some private modes), the photos are not
 * kept and the form says so when it comes back.
 */

/** The most kept for one draft, in MB: four prepared photos fit about three times over. */
export const KEPT_MB = 12;

/** What is kept of a photo: all but the decoded bitmap, made again on the way back. */
export type KeptPhoto = Omit<Photo, 'bitmap'>;

const DATABASE = 'georeport';
const STORE = 'photos';

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DATABASE, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
    request.onblocked = () => reject(new Error('IndexedDB is blocked'));
  });
}

/** Runs one request in its own transaction, resolving once the transaction has committed. */
async function run<T>(mode: IDBTransactionMode, act: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await open();
  try {
    return await new Promise<T>((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const request = act(tx.objectStore(STORE));
      tx.oncomplete = () => resolve(request.result);
      tx.onerror = tx.onabort = () => reject(tx.error ?? request.error);
    });
  } finally {
    db.close();
  }
}

/** The photos that fit under KEPT_MB, in order. */
function underCap(photos: readonly Photo[]): KeptPhoto[] {
  const kept: KeptPhoto[] = [];
  let bytes = 0;
  for (const { blob, width, height, gps } of photos) {
    bytes += blob.size;
    if (bytes > KEPT_MB * 1024 * 1024) break;
    kept.push({ blob, width, height, gps });
  }
  return kept;
}

/** Keeps `photos` for the draft `key` (replacing what was kept); resolves with how many were kept. */
export async function keepPhotos(key: string, photos: readonly Photo[]): Promise<number> {
  const kept = underCap(photos);
  try {
    if (kept.length > 0) await run('readwrite', (store) => store.put(kept, key));
    else await forgetPhotos(key);
    return kept.length;
  } catch {
    return 0; // refused or full: the form tells the resident when it comes back
  }
}

const isPoint = (v: unknown): v is KeptPhoto['gps'] =>
  v === null || (typeof v === 'object' && Number.isFinite((v as { lat?: unknown }).lat) && Number.isFinite((v as { long?: unknown }).long));
const isKept = (v: unknown): v is KeptPhoto => {
  const p = v as Partial<KeptPhoto> | null;
  return !!p && p.blob instanceof Blob && Number.isInteger(p.width) && Number.isInteger(p.height) && isPoint(p.gps);
};

/** The photos kept for `key`, or none (nothing kept, IndexedDB refused, or something malformed). */
export async function keptPhotos(key: string): Promise<KeptPhoto[]> {
  try {
    const found: unknown = await run('readonly', (store) => store.get(key));
    return Array.isArray(found) ? found.filter(isKept) : [];
  } catch {
    return [];
  }
}

/** Forgets the photos kept for `key` (the report was sent or started over). */
export async function forgetPhotos(key: string): Promise<void> {
  await run('readwrite', (store) => store.delete(key)).catch(() => undefined);
}
