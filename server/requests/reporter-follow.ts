import { createHash, randomBytes } from 'node:crypto';
import type { Queryable } from '../db/engine.ts';
import { CONFIRMATION_CAPS, type NewFollower } from './followers.store.ts';

/**
 * TEMPORARY (issue 16, slices A1/A2 in parallel): the follow of a new request's reporter, on the
 * transaction's handle, while the followers store is still synchronous on this branch. Once the
 * asynchronous followers store (slice A2) is merged, `createFollowersStore(tx).follow(f)` replaces
 * `followReporter(tx, f)` in requests.store.ts and this file goes. Same statements and rules as
 * `follow` there: the device or address already following is completed, else a follower is added;
 * asking for news by e-mail queues a confirmation under the mailbox's caps.
 */
export async function followReporter(tx: Queryable, f: NewFollower): Promise<void> {
  const deviceHash = f.deviceId === null ? null : createHash('sha256').update(`georeport device ${f.deviceId}`).digest('hex');
  const notify = f.notify && f.email !== null ? 1 : 0;
  const same = tx.kind === 'sqlite'
    ? 'SELECT id FROM followers WHERE request_id = ? AND (device_hash = ? OR email = ? COLLATE NOCASE) ORDER BY id LIMIT 1'
    : 'SELECT id FROM followers WHERE request_id = ? AND (device_hash = ? OR lower(email) = lower(?)) ORDER BY id LIMIT 1';
  const existing = deviceHash === null && f.email === null ? undefined : await tx.one<{ id: number }>(same, [f.requestId, deviceHash, f.email]);
  if (existing) {
    await tx.run(
      'UPDATE followers SET email = coalesce(email, @email), notify = CASE WHEN @notify = 1 THEN 1 ELSE notify END, locale = @locale WHERE id = @id',
      { id: existing.id, email: f.email, notify, locale: f.locale },
    );
  }
  const token = () => randomBytes(24).toString('base64url');
  const id = existing?.id ?? (await tx.run(
    `INSERT INTO followers (request_id, kind, email, locale, device_hash, notify, token, created_at)
     VALUES (@requestId, @kind, @email, @locale, @deviceHash, @notify, @token, @now) RETURNING id`,
    { requestId: f.requestId, kind: f.kind, email: f.email, locale: f.locale, deviceHash, notify, token: token(), now: f.now },
  )).lastId!;
  if (!notify) return;
  const follower = await tx.one<{ email: string }>(
    `SELECT email FROM followers WHERE id = ? AND notify = 1 AND email IS NOT NULL
       AND (confirmed_at IS NULL OR unsubscribed_at IS NOT NULL)
       AND NOT EXISTS (SELECT 1 FROM confirmations c WHERE c.follower_id = followers.id AND c.sent_at IS NULL AND c.failed_at IS NULL)`,
    [id],
  );
  if (!follower) return;
  const at = follower.email.lastIndexOf('@');
  const local = follower.email.slice(0, at).split('+')[0]!.replaceAll('.', '');
  const mailbox = createHash('sha256').update(`georeport mailbox ${local}@${follower.email.slice(at + 1)}`.toLowerCase()).digest('hex');
  const widest = Math.max(...CONFIRMATION_CAPS.map((cap) => cap.seconds));
  const times = (await tx.query<{ created_at: number }>('SELECT created_at FROM confirmations WHERE mailbox = ? AND created_at > ?', [mailbox, f.now - widest]))
    .map((r) => r.created_at);
  if (CONFIRMATION_CAPS.some((cap) => times.filter((t) => t > f.now - cap.seconds).length >= cap.most)) return;
  await tx.run(
    `INSERT INTO confirmations (follower_id, mailbox, token, created_at, next_attempt_at) VALUES (@followerId, @mailbox, @token, @now, @now)`,
    { followerId: id, mailbox, token: token(), now: f.now },
  );
}
