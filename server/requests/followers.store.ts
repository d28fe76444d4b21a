import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../db/database.ts';

export interface NewFollower {
  requestId: number;
  /** `reporter`: who filed it and asked for news; `supporter`: a resident who joined it ("me too"). */
  kind: 'reporter' | 'supporter';
  /** Where to write on public status changes (with `notify`, once its owner confirmed); personal data, never shown. */
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

/** What a confirmation link's page shows: the follow it confirms, and whether the link was already used. */
export interface ConfirmationByToken {
  requestId: number;
  locale: string;
  used: boolean;
}

export type FollowersStore = ReturnType<typeof createFollowersStore>;

/**
 * Most confirmation e-mails one mailbox is sent, across all requests: 3 an hour lets a resident report
 * and follow a couple of neighbouring requests on one walk and get every link; 6 a day is all a stranger
 * can make an inbox receive, each mail saying that ignoring it is enough.
 */
export const CONFIRMATION_CAPS: readonly { seconds: number; most: number }[] = [
  { seconds: 3600, most: 3 },
  { seconds: 86_400, most: 6 },
];
/** A confirmation link works once, within a week of being asked for. */
export const CONFIRMATION_VALID_SECONDS = 7 * 86_400;

const hashDevice = (deviceId: string) => createHash('sha256').update(`georeport device ${deviceId}`).digest('hex');

/**
 * The inbox an address reaches, hashed: lower case, without a `+tag` and without dots in the local part,
 * so `Jo.Doe+x@Mail.fr` and `jodoe@mail.fr` count as one for the cap (dots and tags reach the same inbox
 * at the large providers; elsewhere two people may share a cap, which costs them little).
 */
function mailboxOf(email: string): string {
  const at = email.lastIndexOf('@');
  const local = email.slice(0, at).split('+')[0]!.replaceAll('.', '');
  return createHash('sha256').update(`georeport mailbox ${local}@${email.slice(at + 1)}`.toLowerCase()).digest('hex');
}

/**
 * Who follows which request, and their e-mail consent: an address hears nothing until its owner confirms
 * through a mailed link (queued here, capped per mailbox, sent by the notifier), and once unsubscribed
 * stays so until a new confirmation.
 */
export function createFollowersStore(db: Db) {
  const same = db.prepare<[number, string | null, string | null], { id: number; email: string | null; notify: number }>(
    `SELECT id, email, notify FROM followers WHERE request_id = ?
       AND (device_hash = ? OR email = ? COLLATE NOCASE) ORDER BY id LIMIT 1`,
  );
  const insert = db.prepare<Record<string, unknown>, { id: number }>(
    `INSERT INTO followers (request_id, kind, email, locale, device_hash, notify, token, created_at)
     VALUES (@requestId, @kind, @email, @locale, @deviceHash, @notify, @token, @now) RETURNING id`,
  );
  // A follower who now leaves an address (or asks for news again) gets it; one given before is kept.
  // An unsubscribed follower stays unsubscribed: only confirming through a mailed link undoes it.
  const update = db.prepare(
    'UPDATE followers SET email = coalesce(email, @email), notify = max(notify, @notify), locale = @locale WHERE id = @id',
  );
  // Followers owed a confirmation request: asked for news by e-mail, and not receiving it now.
  const unconfirmed = db.prepare<[number], { email: string }>(
    `SELECT email FROM followers WHERE id = ? AND notify = 1 AND email IS NOT NULL
       AND (confirmed_at IS NULL OR unsubscribed_at IS NOT NULL)
       AND NOT EXISTS (SELECT 1 FROM confirmations c WHERE c.follower_id = followers.id AND c.sent_at IS NULL AND c.failed_at IS NULL)`,
  );
  const recent = db.prepare<[string, number], number>('SELECT created_at FROM confirmations WHERE mailbox = ? AND created_at > ?').pluck();
  const queue = db.prepare(
    `INSERT INTO confirmations (follower_id, mailbox, token, created_at, next_attempt_at)
     VALUES (@followerId, @mailbox, @token, @now, @now)`,
  );
  const confirmation = db.prepare<[string, number], { id: number; follower_id: number; request_id: number; locale: string; used_at: number | null }>(
    `SELECT c.id, c.follower_id, f.request_id, f.locale, c.used_at FROM confirmations c JOIN followers f ON f.id = c.follower_id
     WHERE c.token = ? AND c.created_at > ? AND f.email IS NOT NULL`,
  );
  const use = db.prepare('UPDATE confirmations SET used_at = ? WHERE id = ?');
  const confirm = db.prepare('UPDATE followers SET confirmed_at = ?, unsubscribed_at = NULL WHERE id = ?');
  const count = db.prepare<[number], { followers: number }>('SELECT followers FROM requests WHERE id = ?');
  const byToken = db.prepare<[string], { request_id: number; locale: string; unsubscribed_at: number | null }>(
    'SELECT request_id, locale, unsubscribed_at FROM followers WHERE token = ?',
  );
  const unsubscribe = db.prepare('UPDATE followers SET unsubscribed_at = ? WHERE token = ? AND unsubscribed_at IS NULL');

  const newToken = () => randomBytes(24).toString('base64url');
  /** Queues a confirmation e-mail for follower `id` if they are owed one and their mailbox is under its caps. */
  function askConfirmation(id: number, now: number) {
    const follower = unconfirmed.get(id);
    if (!follower) return;
    const mailbox = mailboxOf(follower.email);
    const widest = Math.max(...CONFIRMATION_CAPS.map((cap) => cap.seconds));
    const times = recent.all(mailbox, now - widest);
    if (CONFIRMATION_CAPS.some((cap) => times.filter((t) => t > now - cap.seconds).length >= cap.most)) return;
    queue.run({ followerId: id, mailbox, token: newToken(), now });
  }
  const lookUp = (token: string, now: number) => confirmation.get(token, now - CONFIRMATION_VALID_SECONDS);

  return {
    /**
     * Adds a follower, or completes the one this device or e-mail already is; atomically. Asking for
     * news by e-mail queues a confirmation request (capped per mailbox; nothing tells the caller whether
     * one went out).
     */
    follow: db.transaction((f: NewFollower): Following => {
      const deviceHash = f.deviceId === null ? null : hashDevice(f.deviceId);
      const notify = f.notify && f.email !== null ? 1 : 0;
      const existing = deviceHash === null && f.email === null ? undefined : same.get(f.requestId, deviceHash, f.email);
      if (existing) update.run({ id: existing.id, email: f.email, notify, locale: f.locale });
      const id = existing?.id ?? insert.get({ ...f, deviceHash, notify, token: newToken() })!.id;
      if (notify) askConfirmation(id, f.now);
      return { followers: count.get(f.requestId)?.followers ?? 0, added: !existing };
    }),

    /** The follow a confirmation link is for; undefined when unknown or expired. */
    confirmation(token: string, now: number): ConfirmationByToken | undefined {
      const row = lookUp(token, now);
      return row && { requestId: row.request_id, locale: row.locale, used: row.used_at !== null };
    },

    /** Confirms the address behind a link (which then is used), and with it ends any unsubscription. */
    confirm: db.transaction((token: string, now: number): ConfirmationByToken | undefined => {
      const row = lookUp(token, now);
      if (!row) return undefined;
      if (row.used_at === null) {
        use.run(now, row.id);
        confirm.run(now, row.follower_id);
      }
      return { requestId: row.request_id, locale: row.locale, used: row.used_at !== null };
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
