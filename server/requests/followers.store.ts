import { createHash, randomBytes } from 'node:crypto';
import type { Queryable } from '../db/engine.ts';

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

// SQLite compares addresses `COLLATE NOCASE` on the index `followers_one_per_email`; PostgreSQL's
// index of the same name is on `lower(email)` (ASCII-only folding on a "C" column, as NOCASE).
const SAME_SQLITE = `SELECT id, email, notify FROM followers WHERE request_id = ?
       AND (device_hash = ? OR email = ? COLLATE NOCASE) ORDER BY id LIMIT 1`;
const SAME_POSTGRES = `SELECT id, email, notify FROM followers WHERE request_id = ?
       AND (device_hash = ? OR lower(email) = lower(?)) ORDER BY id LIMIT 1`;
// Nothing is inserted (and no id returned) when the same device or address joined meanwhile: PostgreSQL
// runs two follows side by side, where SQLite runs one after the other.
const INSERT = `INSERT INTO followers (request_id, kind, email, locale, device_hash, notify, token, created_at)
     VALUES (@requestId, @kind, @email, @locale, @deviceHash, @notify, @token, @now) ON CONFLICT DO NOTHING RETURNING id`;
// A follower who now leaves an address (or asks for news again) gets it; one given before is kept.
// An unsubscribed follower stays unsubscribed: only confirming through a mailed link undoes it.
const UPDATE = `UPDATE followers SET email = coalesce(email, @email), notify = CASE WHEN @notify = 1 THEN 1 ELSE notify END,
       locale = @locale WHERE id = @id`;
// Followers owed a confirmation request: asked for news by e-mail, and not receiving it now.
const UNCONFIRMED = `SELECT email FROM followers WHERE id = ? AND notify = 1 AND email IS NOT NULL
       AND (confirmed_at IS NULL OR unsubscribed_at IS NOT NULL)
       AND NOT EXISTS (SELECT 1 FROM confirmations c WHERE c.follower_id = followers.id AND c.sent_at IS NULL AND c.failed_at IS NULL)`;
const RECENT = 'SELECT created_at FROM confirmations WHERE mailbox = ? AND created_at > ?';
const QUEUE = `INSERT INTO confirmations (follower_id, mailbox, token, created_at, next_attempt_at)
     VALUES (@followerId, @mailbox, @token, @now, @now)`;
const CONFIRMATION = `SELECT c.id, c.follower_id, f.request_id, f.locale, c.used_at FROM confirmations c JOIN followers f ON f.id = c.follower_id
     WHERE c.token = ? AND c.created_at > ? AND f.email IS NOT NULL`;
const USE = 'UPDATE confirmations SET used_at = ? WHERE id = ?';
const CONFIRM = 'UPDATE followers SET confirmed_at = ?, unsubscribed_at = NULL WHERE id = ?';
const COUNT = 'SELECT followers FROM requests WHERE id = ?';
const BY_TOKEN = 'SELECT request_id, locale, unsubscribed_at FROM followers WHERE token = ?';
const UNSUBSCRIBE = 'UPDATE followers SET unsubscribed_at = ? WHERE token = ? AND unsubscribed_at IS NULL';

type ConfirmationRow = { id: number; follower_id: number; request_id: number; locale: string; used_at: number | null };

const newToken = () => randomBytes(24).toString('base64url');
/** Whether the confirmation e-mails sent to a mailbox at `times` leave room for another at `now`. */
function underCaps(times: number[], now: number): boolean {
  return !CONFIRMATION_CAPS.some((cap) => times.filter((t) => t > now - cap.seconds).length >= cap.most);
}
const widestCap = Math.max(...CONFIRMATION_CAPS.map((cap) => cap.seconds));
/** The values of a follow, as its statements take them. */
function followValues(f: NewFollower) {
  const deviceHash = f.deviceId === null ? null : hashDevice(f.deviceId);
  const notify = f.notify && f.email !== null ? 1 : 0;
  return { deviceHash, notify, lookUp: deviceHash !== null || f.email !== null };
}

/**
 * Who follows which request, and their e-mail consent: an address hears nothing until its owner confirms
 * through a mailed link (queued here, capped per mailbox, sent by the notifier), and once unsubscribed
 * stays so until a new confirmation. Build it on a transaction's handle to follow within that transaction.
 *
 * Rules kept outside this store: the public follower count (`requests.followers`, supporters only) by
 * SQLite's triggers `followers_count_insert`/`_delete` (migration 005) and, on PostgreSQL, by the plpgsql
 * function `followers_count()` (pg-migrations/005); the e-mails owed on a public status change by SQLite's
 * trigger `notifications_on_status` (migration 009) and PostgreSQL's function `notifications_on_status()`
 * (pg-migrations/009).
 */
export function createFollowersStore(db: Queryable) {
  const same = db.kind === 'postgres' ? SAME_POSTGRES : SAME_SQLITE;

  /** Queues a confirmation e-mail for follower `id` if they are owed one and their mailbox is under its caps. */
  async function askConfirmation(tx: Queryable, id: number, now: number) {
    const follower = await tx.one<{ email: string }>(UNCONFIRMED, [id]);
    if (!follower) return;
    const mailbox = mailboxOf(follower.email);
    const times = (await tx.query<{ created_at: number }>(RECENT, [mailbox, now - widestCap])).map((r) => r.created_at);
    if (underCaps(times, now)) await tx.run(QUEUE, { followerId: id, mailbox, token: newToken(), now });
  }
  const lookUp = (q: Queryable, token: string, now: number) => q.one<ConfirmationRow>(CONFIRMATION, [token, now - CONFIRMATION_VALID_SECONDS]);

  return {
    /**
     * Adds a follower, or completes the one this device or e-mail already is; atomically. Asking for
     * news by e-mail queues a confirmation request (capped per mailbox; nothing tells the caller whether
     * one went out).
     */
    follow: (f: NewFollower): Promise<Following> =>
      db.transaction(async (tx) => {
        const { deviceHash, notify, lookUp: known } = followValues(f);
        const find = () => (known ? tx.one<{ id: number }>(same, [f.requestId, deviceHash, f.email]) : undefined);
        let existing = await find();
        const added = existing ? undefined : (await tx.run(INSERT, { ...f, deviceHash, notify, token: newToken() })).lastId;
        if (!existing && added === undefined) existing = await find();
        if (existing) await tx.run(UPDATE, { id: existing.id, email: f.email, notify, locale: f.locale });
        const id = existing?.id ?? added!;
        if (notify) await askConfirmation(tx, id, f.now);
        const count = await tx.one<{ followers: number }>(COUNT, [f.requestId]);
        return { followers: count?.followers ?? 0, added: !existing };
      }),

    /** The follow a confirmation link is for; undefined when unknown or expired. */
    async confirmation(token: string, now: number): Promise<ConfirmationByToken | undefined> {
      const row = await lookUp(db, token, now);
      return row && { requestId: row.request_id, locale: row.locale, used: row.used_at !== null };
    },

    /** Confirms the address behind a link (which then is used), and with it ends any unsubscription. */
    confirm: (token: string, now: number): Promise<ConfirmationByToken | undefined> =>
      db.transaction(async (tx) => {
        const row = await lookUp(tx, token, now);
        if (!row) return undefined;
        if (row.used_at === null) {
          await tx.run(USE, [now, row.id]);
          await tx.run(CONFIRM, [now, row.follower_id]);
        }
        return { requestId: row.request_id, locale: row.locale, used: row.used_at !== null };
      }),

    async byToken(token: string): Promise<FollowerByToken | undefined> {
      const row = await db.one<{ request_id: number; locale: string; unsubscribed_at: number | null }>(BY_TOKEN, [token]);
      return row && { requestId: row.request_id, locale: row.locale, unsubscribed: row.unsubscribed_at !== null };
    },

    /** Ends the e-mails of the follow behind `token`; false when unknown or already ended. */
    async unsubscribe(token: string, now: number): Promise<boolean> {
      return (await db.run(UNSUBSCRIBE, [now, token])).changes > 0;
    },
  };
}
