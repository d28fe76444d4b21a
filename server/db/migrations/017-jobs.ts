/**
 * E-mails claimed before they are sent (issue 17): several servers on one PostgreSQL may run the e-mail
 * job at once (two leaders for a moment, during a hand-over), and a claim keeps them from sending one
 * e-mail twice.
 *
 * - `claimed_until` on each e-mail queue (`notifications`, `confirmations`, `assignment_mails`): a server
 *   about to send an e-mail claims it until then (a lease); no other server takes it before. A server that
 *   dies while sending leaves its claims to expire, and the e-mail is sent after the lease: at least once.
 *
 * SQLite has one writer, whose claims no one else ever meets; the column keeps the two schemas alike.
 * Touches nothing else (independent of the migrations beside it).
 */
export const jobs = /* sql */ `
ALTER TABLE notifications ADD COLUMN claimed_until INTEGER;
ALTER TABLE confirmations ADD COLUMN claimed_until INTEGER;
ALTER TABLE assignment_mails ADD COLUMN claimed_until INTEGER;
`;
