import { Hono } from 'hono';
import { FORMATS, respond } from './format.ts';
import { queryFields, resolveJurisdiction, type GeoReportDeps } from './context.ts';
import { formatDatetime, parseDatetime } from './datetime.ts';
import { one } from './fields.ts';
import { fmsStatus, parseUpdateStatus } from './fms-status.ts';
import { LIMITS } from '../shared/checks.ts';
import { Open311Error, refuse, type Refusal } from './georeport.errors.ts';
import { dateWindow, MAX_RESULTS } from './request-filters.ts';
import { authorizeWrite } from './write-access.ts';

/**
 * FixMyStreet's `servicerequestupdates.{fmt}`: GET lists the public status changes and notes of a window
 * (at most 90 days); POST records one, idempotent on the sender's `update_id`, with a key holding the
 * `updates` scope, on a public request only. Our `update_id` is the event id in both, so FixMyStreet
 * recognises its own updates when it reads them back.
 */
export function createUpdatesRoutes(deps: GeoReportDeps) {
  const { catalogue, updates } = deps;
  const app = new Hono();
  for (const format of FORMATS) {
    app.get(`/servicerequestupdates.${format}`, (c) => {
      const fields = queryFields(c);
      const jurisdiction = resolveJurisdiction(catalogue, fields);
      const { from, to } = dateWindow(fields, Math.floor(deps.now() / 1000));
      const found = updates.publicUpdates(jurisdiction.id, from, to, MAX_RESULTS);
      return respond(c, format, 'service_request_updates', found.map((e) => ({
        update_id: String(e.id),
        service_request_id: String(e.requestId),
        status: fmsStatus(e.detailedStatus ?? 'received'),
        updated_datetime: formatDatetime(e.at),
        description: e.note ?? '',
        media_url: '',
      })));
    });

    app.post(`/servicerequestupdates.${format}`, async (c) => {
      const { body, client, jurisdiction } = await authorizeWrite(c, deps, 'updates');
      const requestId = one(body, 'service_request_id', 20);
      const updateId = one(body, 'update_id', 200) ?? one(body, 'update_id_ext', 200);
      const statusText = one(body, 'status', 60);
      const note = one(body, 'description', LIMITS.description) ?? null;
      const when = one(body, 'updated_datetime', 100);
      const problems: Refusal[] = [];
      if (requestId === undefined) problems.push({ reason: 'field.missing', field: 'service_request_id' });
      if (updateId === undefined) problems.push({ reason: 'field.missing', field: 'update_id' });
      const status = statusText === undefined ? null : parseUpdateStatus(statusText);
      if (status === undefined) problems.push({ reason: 'update.status', field: 'status', values: { value: statusText!.slice(0, 60) } });
      const at = when === undefined ? undefined : parseDatetime(when);
      if (when !== undefined && at === undefined) problems.push({ reason: 'datetime.invalid', field: 'updated_datetime' });
      if (status === null && note === null) problems.push({ reason: 'update.empty' });
      if (problems.length > 0) throw new Open311Error(problems);

      const now = Math.floor(deps.now() / 1000);
      // Only a request the public can see: a held or hidden one answers as an unknown one does.
      const visible = /^[1-9][0-9]{0,14}$/.test(requestId!) && (await deps.requests.byId(jurisdiction.id, Number(requestId))) !== undefined;
      const result = visible
        ? updates.add({
            jurisdictionId: jurisdiction.id, requestId: Number(requestId), detailedStatus: status ?? null, note,
            public: true, actor: `api:${client.id}`, updateId: updateId!, expectedAt: null, now: Math.min(at ?? now, now),
          })
        : undefined;
      if (!result) throw refuse('request.unknown', 'service_request_id', { value: requestId!.slice(0, 20) });
      return respond(c, format, 'service_request_updates', [{ update_id: String(result.eventId) }]);
    });
  }
  return app;
}
