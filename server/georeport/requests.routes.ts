import { Hono, type Context } from 'hono';
import type { RequestQuery } from '../requests/requests.query.ts';
import type { PublicRequest } from '../requests/requests.types.ts';
import { FILE_PARAM, FORMATS, respond, splitFile, type Format } from './format.ts';
import { queryFields, resolveJurisdiction, type GeoReportDeps } from './context.ts';
import { commaList, type Fields } from './fields.ts';
import { refuse } from './georeport.errors.ts';
import { resolveLocale } from './locale.ts';
import { MAX_RESULTS, parseRequestQuery, type Paging } from './request-filters.ts';
import { renderRequests } from './render-requests.ts';

const REQUEST_ID = /^[1-9][0-9]{0,14}$/;

/** `requests.{fmt}` (query), `requests/{id}.{fmt}` (one request) and `tokens/{token}.{fmt}`. */
export function createRequestsRoutes(deps: GeoReportDeps) {
  const { catalogue, requests, now } = deps;

  const render = (c: Context, format: Format, fields: Fields, found: PublicRequest[]) => renderRequests(deps, c, format, fields, found);

  /**
   * A page of results with its X-* headers. One row past the page is fetched to know whether a next
   * page exists; the total is then exact when this is the last page, and otherwise what `count` says
   * (an estimate past EXACT_COUNT_LIMIT, flagged by X-Result-Count-Estimated).
   */
  const page = async (c: Context, format: Format, query: RequestQuery, paging: Paging, locale: string | null) => {
    const found = await requests.search({ ...query, limit: query.limit + 1 }, locale);
    const more = found.length > query.limit;
    if (more) found.pop();
    const shown = query.offset + found.length;
    const total = !more && found.length > 0 ? { value: shown, exact: true } : await requests.count(query, Math.floor(now() / 1000));
    const value = more ? Math.max(total.value, shown + 1) : total.value;
    c.header('X-Result-Count', String(value));
    if (!total.exact) c.header('X-Result-Count-Estimated', 'true');
    c.header('X-Page-Count', String(Math.max(Math.ceil(value / paging.pageSize), more ? paging.page + 1 : 0)));
    c.header('X-Page-Size', String(paging.pageSize));
    if (more) {
      const next = new URL(c.req.url).searchParams;
      next.set('page', String(paging.page + 1));
      c.header('X-Next-Page-URL', `${deps.endpointUrl}requests.${format}?${next}`);
    }
    return found;
  };

  const app = new Hono();
  for (const format of FORMATS) {
    app.get(`/requests.${format}`, async (c) => {
      const fields = queryFields(c);
      const jurisdiction = await resolveJurisdiction(catalogue, fields);
      const locale = resolveLocale(c, fields, jurisdiction, await catalogue.locales(jurisdiction.id));
      const ids = commaList(fields, 'service_request_id', MAX_RESULTS);
      if (ids) {
        const numeric = ids.filter((id) => REQUEST_ID.test(id)).map(Number);
        return render(c, format, fields, await requests.byIds(jurisdiction.id, numeric, locale));
      }
      const { query, paging } = await parseRequestQuery(fields, jurisdiction.id, Math.floor(now() / 1000), (codes) =>
        catalogue.serviceIds(jurisdiction.id, codes),
      );
      return render(c, format, fields, paging ? await page(c, format, query, paging, locale) : await requests.search(query, locale));
    });
  }
  app.get(`/requests/${FILE_PARAM}`, async (c) => {
    const { name: id, format } = splitFile(c.req.param('file'));
    const fields = queryFields(c);
    const jurisdiction = await resolveJurisdiction(catalogue, fields);
    const locale = resolveLocale(c, fields, jurisdiction, await catalogue.locales(jurisdiction.id));
    const found = REQUEST_ID.test(id) ? await requests.byId(jurisdiction.id, Number(id), locale) : undefined;
    if (!found) throw refuse('request.unknown', 'service_request_id', { value: id.slice(0, 40) });
    return render(c, format, fields, [found]);
  });
  app.get(`/tokens/${FILE_PARAM}`, async (c) => {
    const { name: token, format } = splitFile(c.req.param('file'));
    const jurisdiction = await resolveJurisdiction(catalogue, queryFields(c));
    const found = await requests.byToken(jurisdiction.id, token);
    if (!found) throw refuse('token.unknown', 'token', { value: token.slice(0, 60) });
    return respond(c, format, 'service_requests', [
      { service_request_id: found.id === null ? '' : String(found.id), token },
    ]);
  });
  return app;
}
