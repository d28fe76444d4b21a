/**
 * Nothing on SQLite: its rate limits stay in the memory of its one process (`server/http/rate-limit.ts`).
 * PostgreSQL's 015 adds the table several servers share theirs in; this one keeps the numbers aligned.
 */
export const sharedLimits = /* sql */ `
-- rate limits: in memory on SQLite (one process)
`;
