import { ID, TEXT } from './types.ts';

/**
 * PostgreSQL form of SQLite's 009-confirmed-followers. Where SQLite drops and recreates the trigger
 * `notifications_on_status`, its function is replaced: only confirmed followers are owed an e-mail.
 */
export const confirmedFollowers = /* sql */ `
ALTER TABLE followers ADD COLUMN confirmed_at bigint;
UPDATE followers SET confirmed_at = created_at WHERE notify = 1;

CREATE TABLE confirmations (
  id              ${ID},
  follower_id     bigint NOT NULL REFERENCES followers(id) ON DELETE CASCADE,
  mailbox         ${TEXT} NOT NULL,
  token           ${TEXT} NOT NULL UNIQUE,
  created_at      bigint NOT NULL,
  attempts        bigint NOT NULL DEFAULT 0,
  next_attempt_at bigint NOT NULL,
  sent_at         bigint,
  failed_at       bigint,
  last_error      ${TEXT},
  used_at         bigint
);
CREATE INDEX confirmations_by_mailbox ON confirmations (mailbox, created_at);
CREATE INDEX confirmations_by_follower ON confirmations (follower_id);
CREATE INDEX confirmations_due ON confirmations (next_attempt_at) WHERE sent_at IS NULL AND failed_at IS NULL;

-- Mirrors SQLite's notifications_on_status as 009 recreates it.
CREATE OR REPLACE FUNCTION notifications_on_status() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO notifications (follower_id, event_id, next_attempt_at)
    SELECT id, NEW.id, NEW.created_at FROM followers
    WHERE request_id = NEW.request_id AND notify = 1 AND confirmed_at IS NOT NULL AND unsubscribed_at IS NULL
    ORDER BY followers.id;
  RETURN NULL;
END $$;
`;
