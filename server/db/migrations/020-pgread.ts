/**
 * Nothing on SQLite: its `requests_by_place` already orders NULLs first ascending, as the inbox's sort by
 * place reads it. PostgreSQL's 020 rebuilds its twin in that order; this one keeps the numbers aligned.
 */
export const readPath = /* sql */ `
-- requests_by_place: NULLs already first on SQLite
`;
