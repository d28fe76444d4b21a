import { Hono, type Context } from 'hono';
import type { RequestQuery } from '../requests/requests.query.ts';
import { FILE_PARAM, FORMATS, respond, splitFile, type Format } from './format.ts';
import { windowNow, type AnswerKey } from './cached-answer.ts';
import { queryFields, resolveJurisdiction, type GeoReportDeps } from './context.ts';
import { commaList } from './fields.ts';
import { refuse } from './georeport.errors.ts';
import { resolveLocale } from './locale.ts';
import { MAX_RESULTS, parseRequestQuery, type Paging } from './request-filters.ts';
import { createRequestFragments } from './request-fragments.ts';
import { requestTexts, wantsExtensions } from './render-requests.ts';

const REQUEST_ID = /^[1-9][0-9]{0,14}$/;
/** What a request answer shows: the town's requests, and its catalogue (service names). */
const COUNTERS = ['requests', 'catalogue'] as const;

/** `requests.{fmt}` (query), `requests/{id}.{fmt}` (one request) and `tokens/{token}.{fmt}`. */
export function createRequestsRoutes(deps: GeoReportDeps) {
  const { catalogue, requests, now, answers } = deps;
  const fragments = createRequestFragments();

  /**
   * A page of results with its X-* headers. One row past the page is fetched to know whether a next
   * page exists; the total is then exact when this is the last page, and otherwise what `count` says
   * (an estimate past EXACT_COUNT_LIMIT, flagged by X-Result-Count-Estimated).
   */
  const page = async (query: RequestQuery, paging: Paging, locale: string | null) => {
    const found = await requests.search({ ...query, limit: query.limit + 1 }, locale);
    const more = found.length > query.limit;
    if (more) found.pop();
    const shown = query.offset + found.length;
    const total = !more && found.length > 0 ? { value: shown, exact: true } : await requests.count(query, Math.floor(now() / 1000));
    const value = more ? Math.max(total.value, shown + 1) : total.value;
    const headers: Record<string, string> = {
      'X-Result-Count': String(value),
      'X-Page-Count': String(Math.max(Math.ceil(value / paging.pageSize), more ? paging.page + 1 : 0)),
      'X-Page-Size': String(paging.pageSize),
    };
    if (!total.exact) headers['X-Result-Count-Estimated'] = 'true';
    return { found, headers, nextPage: more ? paging.page + 1 : null };
  };

  /** The next page's URL keeps the caller's own parameters (the cached answer only knows there is one). */
  const nextPageUrl = (c: Context, format: Format) => (page: number) => {
    const next = new URL(c.req.url).searchParams;
    next.set('page', String(page));
    return `${deps.endpointUrl}requests.${format}?${next}`;
  };

  const app = new Hono();
  for (const format of FORMATS) {
    app.get(`/requests.${format}`, async (c) => {
      const fields = queryFields(c);
      const jurisdiction = await resolveJurisdiction(catalogue, fields);
      const locale = resolveLocale(c, fields, jurisdiction, await catalogue.locales(jurisdiction.id));
      const extensions = wantsExtensions(fields);
      const key = { format, town: jurisdiction.id, counters: COUNTERS, locale } satisfies Partial<AnswerKey>;
      const ids = commaList(fields, 'service_request_id', MAX_RESULTS);
      if (ids) {
        // Sorted and once each: the answer is newest first whatever the order asked.
        const numeric = [...new Set(ids.filter((id) => REQUEST_ID.test(id)).map(Number))].sort((a, b) => a - b);
        return answers(c, { ...key, query: `ids ${extensions} ${numeric}` }, async (stamp) => ({
          root: 'service_requests',
          items: await requestTexts(deps, fragments, { ...key, extensions, stamp }, await requests.byIds(jurisdiction.id, numeric, locale)),
        }));
      }
      const { query, paging } = await parseRequestQuery(fields, jurisdiction.id, windowNow(now()), (codes) =>
        catalogue.serviceIds(jurisdiction.id, codes),
      );
      // Lists the filters (RequestQuery's every field) in one fixed order, whatever order the parameters came in.
      const normal = { ...query, serviceIds: query.serviceIds && [...query.serviceIds].sort((a, b) => a - b), statuses: query.statuses && [...query.statuses].sort() };
      return answers(c, { ...key, query: `requests ${extensions} ${JSON.stringify(normal)}` }, async (stamp) => {
        const { found, headers, nextPage } = paging ? await page(query, paging, locale) : { found: await requests.search(query, locale), headers: {}, nextPage: null };
        return { root: 'service_requests', items: await requestTexts(deps, fragments, { ...key, extensions, stamp }, found), headers, nextPage };
      }, nextPageUrl(c, format));
    });
  }
  app.get(`/requests/${FILE_PARAM}`, async (c) => {
    const { name: id, format } = splitFile(c.req.param('file'));
    const fields = queryFields(c);
    const jurisdiction = await resolveJurisdiction(catalogue, fields);
    const locale = resolveLocale(c, fields, jurisdiction, await catalogue.locales(jurisdiction.id));
    if (!REQUEST_ID.test(id)) throw refuse('request.unknown', 'service_request_id', { value: id.slice(0, 40) });
    const extensions = wantsExtensions(fields);
    const key = { format, town: jurisdiction.id, counters: COUNTERS, locale };
    return answers(c, { ...key, query: `request ${extensions} ${id}` }, async (stamp) => {
      // Held, hidden and unknown requests alike: a 404, which is never cached.
      const found = await requests.byId(jurisdiction.id, Number(id), locale);
      if (!found) throw refuse('request.unknown', 'service_request_id', { value: id });
      return { root: 'service_requests', items: await requestTexts(deps, fragments, { ...key, extensions, stamp }, [found]) };
    });
  });
  app.get(`/tokens/${FILE_PARAM}`, async (c) => {
    const { name: token, format } = splitFile(c.req.param('file'));
    const jurisdiction = await resolveJurisdiction(catalogue, queryFields(c));
    const found = await requests.byToken(jurisdiction.id, token);
    if (!found) throw refuse('token.unknown', 'token', { value: token.slice(0, 60) });
    // A token is its filer's: its answer is never cached (no ETag, no Cache-Control).
    return respond(c, format, 'service_requests', [
      { service_request_id: found.id === null ? '' : String(found.id), token },
    ]);
  });
  return app;
}
