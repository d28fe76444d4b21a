/**
 * Rolling deploys (issue 17): nothing changes on SQLite. Its one process migrates its own file at start,
 * so it never runs on a schema newer than it knows; PostgreSQL's 014 records which older code each
 * version accepts, for several nodes upgraded one after the other. Kept so that version N means the
 * same schema on both engines.
 */
export const deploy = /* sql */ `
-- nothing on SQLite: see server/db/pg-migrations/014-deploy.ts
`;
