import { createHash, randomBytes } from 'node:crypto';
import type { Queryable } from '../db/engine.ts';
import { createServiceNames } from './public-row.ts';
import type { DetailedStatus, Status } from './requests.types.ts';

/** The SHA-256 the store keeps of a tracking token (the token itself is never stored). */
export const hashTrackingToken = (token: string) => createHash('sha256').update(`georeport tracking ${token}`).digest('hex');

/** A new tracking token (24 random bytes, base64url) for the filer of a request, and its hash. */
export function newTrackingToken(): { token: string; hash: string } {
  const token = randomBytes(24).toString('base64url');
  return { token, hash: hashTrackingToken(token) };
}

/** What the filer of a request may learn of it, whatever its visibility: its state, never its texts. */
export interface TrackedRequest {
  id: number;
  visibility: 'pending' | 'published' | 'hidden';
  status: Status;
  detailedStatus: DetailedStatus;
  /** The latest public note; for a rejected request, the reason given. */
  statusNotes: string | null;
  serviceCode: string;
  serviceName: string;
  requestedAt: number;
  updatedAt: number;
  expectedAt: number | null;
}

export type TrackingStore = ReturnType<typeof createTrackingStore>;

const FIND = `SELECT r.id, r.visibility, r.status, r.detailed_status, r.status_notes, s.code, s.name, s.i18n, r.requested_at, r.updated_at, r.expected_at
     FROM request_trackers t JOIN requests r ON r.id = t.request_id JOIN services s ON s.id = r.service_id
     WHERE t.token_hash = ? AND t.request_id = ? AND r.jurisdiction_id = ? AND r.queued = 0`;

/**
 * Requests as their filer follows them, by the tracking token handed out when they filed (see migration
 * 010). Without the right token a request is unknown here as everywhere: a token opens its own request
 * only, in its own jurisdiction.
 */
export function createTrackingStore(db: Queryable) {
  const serviceNames = createServiceNames();
  return {
    /** The request `id` of the jurisdiction if `token` is one of its tracking tokens, else undefined. */
    async tracked(jurisdictionId: string, id: number, token: string, locale: string | null): Promise<TrackedRequest | undefined> {
      const r = await db.one<{
        id: number; visibility: TrackedRequest['visibility']; status: Status; detailed_status: DetailedStatus; status_notes: string | null;
        code: string; name: string; i18n: string; requested_at: number; updated_at: number; expected_at: number | null;
      }>(FIND, [hashTrackingToken(token), id, jurisdictionId]);
      return r && {
        id: r.id, visibility: r.visibility, status: r.status, detailedStatus: r.detailed_status, statusNotes: r.status_notes,
        serviceCode: r.code, serviceName: serviceNames(r.name, r.i18n, locale), requestedAt: r.requested_at,
        updatedAt: r.updated_at, expectedAt: r.expected_at,
      };
    },
  };
}
