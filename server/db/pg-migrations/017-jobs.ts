/** PostgreSQL form of SQLite's 017-jobs: the e-mail queues' claims (`claimed_until`, a lease in epoch seconds). */
export const jobs = /* sql */ `
ALTER TABLE notifications ADD COLUMN claimed_until bigint;
ALTER TABLE confirmations ADD COLUMN claimed_until bigint;
ALTER TABLE assignment_mails ADD COLUMN claimed_until bigint;
`;
