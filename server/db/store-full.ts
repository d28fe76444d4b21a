/**
 * A write refused because the disk (or the store) is full: SQLite's `SQLITE_FULL` (also what a
 * connection's `max_page_count` gives), PostgreSQL's `disk_full` (53100), or the file system's `ENOSPC`
 * or `EDQUOT` when a photo is written. Nothing of the write was kept (its transaction was rolled back, a
 * photo's temporary file removed), and the server can still read: every API answers it with 503 and
 * `Retry-After`, each in its own format, and reads go on being served.
 */
export function isStoreFull(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'SQLITE_FULL' || code === '53100' || code === 'ENOSPC' || code === 'EDQUOT';
}

/**
 * Seconds a client refused for a full store is told to wait: an operator has to free space, so a widget
 * or a CRM trying again at once would only add load.
 */
export const STORE_FULL_RETRY_AFTER = 300;
