/**
 * The bus on several servers (issue 17): what PostgreSQL needs is in pg-migrations/016-bus.ts.
 *
 * - `bus_messages.txid`: on PostgreSQL, the transaction that wrote the message, the history's cursor
 *   (transactions there commit out of id order). SQLite commits one writer at a time, so its ids are
 *   in commit order already: the column stays 0 here and is never read; it exists so that both stores
 *   hold the same tables (`georeport copy` moves rows between them).
 * - The request row locked before an event's messages are written, and the NOTIFY that wakes long
 *   polls: PostgreSQL only (its triggers `bus_lock_request` and `bus_wake`). SQLite's `bus_outbox` is
 *   unchanged (one writer: nothing to order, and no other process to wake).
 */
export const busNodes = /* sql */ `
ALTER TABLE bus_messages ADD COLUMN txid INTEGER NOT NULL DEFAULT 0;
`;
