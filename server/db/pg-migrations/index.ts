import { initial } from './001-initial.ts';
import { searchAndHistory } from './002-search-and-history.ts';
import { cacheVersions } from './003-cache-versions.ts';
import { spatialGrid } from './004-spatial-grid.ts';
import { followAndNotify } from './005-follow-and-notify.ts';
import { bus } from './006-bus.ts';
import { staff } from './007-staff.ts';
import { trust } from './008-trust.ts';
import { confirmedFollowers } from './009-confirmed-followers.ts';
import { tracking } from './010-tracking.ts';
import { assignment } from './011-assignment.ts';
import { requestEdits } from './012-request-edits.ts';
import { statistics } from './013-statistics.ts';
import { caches } from './014-caches.ts';

/**
 * PostgreSQL's migrations, one for each of SQLite's (server/db/migrations/) with the same number, so
 * that version N means the same schema on both engines. Forward-only; never edit a released one.
 * A test compares the two lists' lengths and the schemas they make.
 */
export const pgMigrations: readonly string[] = [initial, searchAndHistory, cacheVersions, spatialGrid, followAndNotify, bus, staff, trust, confirmedFollowers, tracking, assignment, requestEdits, statistics, caches];
