/**
 * PostgreSQL form of SQLite's 016-bus: the bus on several servers over one database (issue 17).
 *
 * - **Per-request order.** `bus_lock_request`, fired by every new event before `bus_outbox` (triggers of
 *   one event fire in name order), locks the event's request row (`FOR NO KEY UPDATE`) until the
 *   transaction ends. Two transactions writing events for one request (two servers, or a status and a
 *   note at once) therefore write their messages one after the other: the second takes its message ids
 *   only once the first has committed or rolled back, so a request's messages are numbered in commit
 *   order, and `next` (outbox.store.ts: never an open message after an earlier one of its request) never
 *   hands out message 11 while message 10 may still commit. `NO KEY UPDATE` rather than `UPDATE`: it
 *   waits for other writers of the request and for every `UPDATE requests` (which takes that lock), but
 *   not for the foreign-key checks of rows added beside the request (photos, followers), which take
 *   `KEY SHARE`. The status that decides `reopened` in `bus_outbox()` is read after the lock, so it is
 *   the one the earlier writer committed. The event's own id was given by its INSERT, before the lock: a
 *   writer that locks the request only there (updates write the event, then change the request) may
 *   leave two events' ids out of commit order; the bus orders by message id, never by event id. SQLite
 *   needs none of this: one writer at a time, ids in commit order.
 * - **Wake-ups.** `bus_wake` sends `pg_notify('georeport_bus', '<app id>')` for each message written,
 *   delivered at commit (never for a transaction rolled back; repeats within one transaction are
 *   merged by PostgreSQL), which wakes that app's long polls on every server (bus/wakeups.ts). A message
 *   replayed or handed back is not announced: the polls' fallback look finds it.
 * - **`bus_messages.txid`**: the transaction that wrote the message (its xid8 as a number), the
 *   history's cursor with the snapshot's horizon (outbox.store.ts). Messages written before this
 *   migration keep 0: settled long ago, in id order.
 */
export const busNodes = /* sql */ `
ALTER TABLE bus_messages ADD COLUMN txid bigint NOT NULL DEFAULT 0;
ALTER TABLE bus_messages ALTER COLUMN txid SET DEFAULT CAST(CAST(pg_current_xact_id() AS text) AS bigint);
CREATE INDEX bus_messages_by_commit ON bus_messages (app_id, txid, id);

-- Before bus_outbox: the triggers of one event fire in the order of their names.
CREATE FUNCTION bus_lock_request() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM 1 FROM requests WHERE id = NEW.request_id FOR NO KEY UPDATE;
  RETURN NULL;
END $$;
CREATE TRIGGER bus_lock_request AFTER INSERT ON request_events FOR EACH ROW EXECUTE FUNCTION bus_lock_request();

CREATE FUNCTION bus_wake() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('georeport_bus', CAST(NEW.app_id AS text));
  RETURN NULL;
END $$;
CREATE TRIGGER bus_wake AFTER INSERT ON bus_messages FOR EACH ROW EXECUTE FUNCTION bus_wake();
`;
