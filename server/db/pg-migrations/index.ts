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
import { deploy } from './014-deploy.ts';
import { sharedLimits } from './015-limits.ts';
import { busNodes } from './016-bus.ts';
import { jobs } from './017-jobs.ts';
import { caches } from './018-caches.ts';
import { postPath } from './019-post.ts';
import { readPath } from './020-pgread.ts';
import { answerCache } from './021-answer-cache.ts';

/**
 * PostgreSQL's migrations, one for each of SQLite's (server/db/migrations/) with the same number, so
 * that version N means the same schema on both engines. Forward-only; never edit a released one.
 * A test compares the two lists' lengths and the schemas they make.
 */
export const pgMigrations: readonly string[] = [initial, searchAndHistory, cacheVersions, spatialGrid, followAndNotify, bus, staff, trust, confirmedFollowers, tracking, assignment, requestEdits, statistics, deploy, sharedLimits, busNodes, jobs, caches, postPath, readPath, answerCache];

/**
 * Whether code that predates each migration (same order as `pgMigrations`) still runs correctly on the
 * schema it makes, so that nodes of the previous release keep serving while the others are upgraded
 * (docs/postgresql.md, "Deploys"). `additive`: a new table, a new nullable or defaulted column, a new
 * index or function, nothing older code writes refused. `breaking`: a column dropped or renamed, a NOT
 * NULL column older code would leave out, a new constraint or trigger that refuses what it writes, a
 * value whose meaning changed. Every migration gets its entry here when it is added (a test counts
 * them); when in doubt, `breaking`: the deploy then stops the old nodes before the new ones start.
 * 001-013 are `breaking`: they predate the check, and no georeport older than 013 ever ran on PostgreSQL.
 */
export const pgMigrationCompatibility: readonly ('additive' | 'breaking')[] = [
  'breaking', 'breaking', 'breaking', 'breaking', 'breaking', 'breaking', 'breaking', // 001-007
  'breaking', 'breaking', 'breaking', 'breaking', 'breaking', 'breaking', // 008-013
  'additive', // 014 deploy: a nullable column in schema_migrations
  'additive', // 015 limits: a new unlogged table
  'additive', // 016 bus: a defaulted column, an index, two triggers older code writes through unchanged
  'breaking', // 017 jobs: claimed_until, which older nodes' e-mail jobs would not respect (they would send claimed e-mails)
  'breaking', // 018 caches: cache_versions keyed by town, which older nodes would read as one global row
  'additive', // 019 post: triggers moved to commit or added, on the same counts and versions older code writes through unchanged
  'additive', // 020 read path: an index rebuilt in another order
  'additive', // 021 answer cache: triggers on media that bump a version, under whatever older nodes write
];
