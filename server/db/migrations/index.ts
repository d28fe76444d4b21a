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

/** Forward-only migrations; migration N (1-based) brings the schema to `user_version = N`. Never edit a released one. */
export const migrations: readonly string[] = [initial, searchAndHistory, cacheVersions, spatialGrid, followAndNotify, bus, staff, trust, confirmedFollowers, tracking, assignment, requestEdits, statistics, deploy, sharedLimits, busNodes, jobs, caches, postPath, readPath, answerCache];
