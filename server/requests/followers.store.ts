import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../db/database.ts';

export interface NewFollower {
  requestId: number;
  /** `reporter`: who filed it and asked for news; `supporter`: a resident who joined it ("me too"). */
  kind: 'reporter' | 'supporter';
  /** Where to write on public status changes (with `notify`); personal data, never shown. */
  email: string | null;
  notify: boolean;
  /** Language of the e-mails. */
  locale: string;
  /** The widget's random device id: the same device joining twice counts once. */
  deviceId: string | null;
  now: number;
}

export interface Following {
  /** Supporters of the request, the public count. */
  followers: number;
  /** False when this device or e-mail already followed it (nothing was added). */
  added: boolean;
}

/** What an unsubscribe link's page shows about the follow it ends. */
export interface FollowerByToken {
  requestId: number;
  locale: string;
  unsubscribed: boolean;
}

export type FollowersStore = ReturnType<typeof createFollowersStore>;

const hashDevice = (deviceId: string) => createHash('sha256').update(`georeport device ${deviceId}`).digest('hex');

/** Who follows which request, and their unsubscribe links. */
export function createFollowersStore(db: Db) {
  const same = db.prepare<[number, string | null, string | null], { id: number; email: string | null; notify: number }>(
    `SELECT id, email, notify FROM followers WHERE request_id = ?
       AND (device_hash = ? OR email = ? COLLATE NOCASE) ORDER BY id LIMIT 1`,
  );
  const insert = db.prepare(
    `INSERT INTO followers (request_id, kind, email, locale, device_hash, notify, token, created_at)
     VALUES (@requestId, @kind, @email, @locale, @deviceHash, @notify, @token, @now)`,
  );
  // A follower who now leaves an address (or asks for news again) gets it; one given before is kept.
  const update = db.prepare(
    `UPDATE followers SET email = coalesce(email, @email), notify = max(notify, @notify), locale = @locale,
       unsubscribed_at = CASE WHEN @notify THEN NULL ELSE unsubscribed_at END WHERE id = @id`,
  );
  const count = db.prepare<[number], { followers: number }>('SELECT followers FROM requests WHERE id = ?');
  const byToken = db.prepare<[string], { request_id: number; locale: string; unsubscribed_at: number | null }>(
    'SELECT request_id, locale, unsubscribed_at FROM followers WHERE token = ?',
  );
  const unsubscribe = db.prepare('UPDATE followers SET unsubscribed_at = ? WHERE token = ? AND unsubscribed_at IS NULL');

  return {
    /** Adds a follower, or completes the one this device or e-mail already is; atomically. */
    follow: db.transaction((f: NewFollower): Following => {
      const deviceHash = f.deviceId === null ? null : hashDevice(f.deviceId);
      const notify = f.notify && f.email !== null ? 1 : 0;
      const existing = deviceHash === null && f.email === null ? undefined : same.get(f.requestId, deviceHash, f.email);
      if (existing) update.run({ id: existing.id, email: f.email, notify, locale: f.locale });
      else insert.run({ ...f, deviceHash, notify, token: randomBytes(24).toString('base64url') });
      return { followers: count.get(f.requestId)?.followers ?? 0, added: !existing };
    }),

    byToken(token: string): FollowerByToken | undefined {
      const row = byToken.get(token);
      return row && { requestId: row.request_id, locale: row.locale, unsubscribed: row.unsubscribed_at !== null };
    },

    /** Ends the e-mails of the follow behind `token`; false when unknown or already ended. */
    unsubscribe(token: string, now: number): boolean {
      return unsubscribe.run(now, token).changes > 0;
    },
  };
}
