/**
 * Preloaded into a georeport process by the full-store test only (`NODE_OPTIONS=--import …`), never by
 * georeport itself: it makes the SQLite store full without filling a disk. `max_page_count` belongs to
 * one connection (a second connection to the file cannot set it for the server's), so this sets it on the
 * server's own connection, once openDatabase has migrated the store: FULL_STORE_SPARE_PAGES pages more
 * than it holds then. SIGUSR2 lifts the limit, as freeing disk space would.
 */
import Database from 'better-sqlite3';

const spare = Number(process.env.FULL_STORE_SPARE_PAGES);
if (!Number.isInteger(spare) || spare < 0) throw new Error('FULL_STORE_SPARE_PAGES must be a whole number of pages');

const pragma = Database.prototype.pragma;
Database.prototype.pragma = function limited(source, options) {
  const result = pragma.call(this, source, options);
  // openDatabase's last pragma, after the migrations.
  if (source.startsWith('optimize')) {
    const pages = pragma.call(this, 'page_count', { simple: true });
    pragma.call(this, `max_page_count = ${pages + spare}`);
    process.on('SIGUSR2', () => pragma.call(this, 'max_page_count = 4294967294'));
  }
  return result;
};
