/**
 * Follower e-mails with double opt-in (issue 13, item 11): an address given to follow a request hears
 * nothing until its owner confirms, through a link mailed to it, that they want the news.
 *
 * - `followers.confirmed_at`: when the address's owner pressed the confirmation button. Status e-mails
 *   are owed only to followers who asked for news, confirmed and did not unsubscribe since; following
 *   again never clears `unsubscribed_at` (only a new confirmation does).
 * - `confirmations`: one row per confirmation e-mail, queued in the transaction of the follow that asks
 *   for it and sent by the notifier. `token` is the secret of its link (valid once, for a week);
 *   `mailbox` a hash of the address folded to its mailbox (case, `+tag` and dots removed), so that the
 *   per-address cap counts every spelling of one inbox across all requests without keeping the
 *   address twice.
 *
 * Followers who already asked for news are taken as confirmed (`confirmed_at = created_at`): they were
 * promised e-mails, and silently ending them would break that promise with no one told. Each of the
 * mails they get carries its unsubscribe link, and from now on an address that unsubscribes stays so;
 * what made the hole (re-subscribing any address at will, without limit) is closed for every follow
 * made after this migration.
 *
 * Touches only followers and notifications (independent of the migrations beside it).
 */
export const confirmedFollowers = /* sql */ `
ALTER TABLE followers ADD COLUMN confirmed_at INTEGER;
UPDATE followers SET confirmed_at = created_at WHERE notify = 1;

CREATE TABLE confirmations (
  id              INTEGER PRIMARY KEY,
  follower_id     INTEGER NOT NULL REFERENCES followers(id) ON DELETE CASCADE,
  mailbox         TEXT NOT NULL,
  token           TEXT NOT NULL UNIQUE,
  created_at      INTEGER NOT NULL,
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  sent_at         INTEGER,
  failed_at       INTEGER,
  last_error      TEXT,
  used_at         INTEGER
) STRICT;
CREATE INDEX confirmations_by_mailbox ON confirmations (mailbox, created_at);
CREATE INDEX confirmations_by_follower ON confirmations (follower_id);
CREATE INDEX confirmations_due ON confirmations (next_attempt_at) WHERE sent_at IS NULL AND failed_at IS NULL;

DROP TRIGGER notifications_on_status;
CREATE TRIGGER notifications_on_status AFTER INSERT ON request_events
  WHEN new.public = 1 AND new.type = 'status' BEGIN
  INSERT INTO notifications (follower_id, event_id, next_attempt_at)
    SELECT id, new.id, new.created_at FROM followers
    WHERE request_id = new.request_id AND notify = 1 AND confirmed_at IS NOT NULL AND unsubscribed_at IS NULL;
END;
`;
