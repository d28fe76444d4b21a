/**
 * What this device remembers, in local storage, so a resident can follow up without an account: a
 * random device id (sent with reports and "me too", so a double tap files once and a second "me too"
 * counts once; it says nothing about the person) and the requests filed or followed from here.
 */
export interface Tracked {
  id: string;
  kind: 'filed' | 'followed';
  /** When, as an ISO datetime. */
  at: string;
  /** Filed here: the secret that shows its state while the public may not see it (held, rejected). */
  token?: string;
}

const TOKEN = /^[A-Za-z0-9_-]{20,100}$/;

const DEVICE_KEY = 'georeport-device';
const MAX_TRACKED = 200;

function storage(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined; // storage forbidden (private mode, sandboxed frame): nothing is remembered
  }
}

/** This device's random id, made on first use. */
export function deviceId(): string {
  const store = storage();
  const known = store?.getItem(DEVICE_KEY);
  if (known && /^[0-9a-f-]{36}$/.test(known)) return known;
  const id = crypto.randomUUID();
  try {
    store?.setItem(DEVICE_KEY, id);
  } catch {
    // full: a new id next time, which only weakens duplicate detection
  }
  return id;
}

const listKey = (server: string, jurisdiction: string) => `georeport-tracked:${server}:${jurisdiction}`;

/** The requests filed or followed from this device for a server and jurisdiction, newest first. */
export function trackedRequests(server: string, jurisdiction: string): Tracked[] {
  try {
    const raw: unknown = JSON.parse(storage()?.getItem(listKey(server, jurisdiction)) ?? '[]');
    return Array.isArray(raw)
      ? raw.filter((t): t is Tracked => typeof t?.id === 'string' && /^\d{1,15}$/.test(t.id) && (t.kind === 'filed' || t.kind === 'followed') && typeof t.at === 'string'
          && (t.token === undefined || (typeof t.token === 'string' && TOKEN.test(t.token))))
      : [];
  } catch {
    return [];
  }
}

/** Remembers a request (once: filing after following keeps "filed"), with its tracking token when filed here. */
export function trackRequest(server: string, jurisdiction: string, id: string, kind: Tracked['kind'], token?: string): void {
  const list = trackedRequests(server, jurisdiction);
  const existing = list.find((t) => t.id === id);
  // Filing after following makes it "filed"; filing again (a double tap) only adds a token it lacked.
  if (existing && (kind === 'followed' || (existing.kind === 'filed' && (existing.token || !token)))) return;
  const entry: Tracked = { id, kind, at: new Date().toISOString(), ...(token ? { token } : {}) };
  const next = [entry, ...list.filter((t) => t.id !== id)].slice(0, MAX_TRACKED);
  try {
    storage()?.setItem(listKey(server, jurisdiction), JSON.stringify(next));
  } catch {
    // full: the list stays as it was
  }
  window.dispatchEvent(new Event(TRACKED_CHANGED));
}

/** Fired on `window` when the list changes, so every element showing it follows. */
export const TRACKED_CHANGED = 'georeport-tracked-changed';
