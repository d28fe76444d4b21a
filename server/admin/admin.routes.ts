import { Hono } from 'hono';
import { bodyLimit } from '../http/body.ts';
import { jsonBodyLimit } from '../http/json-body.ts';
import { JsonError, storeFullAnswer } from '../http/json-error.ts';
import { isStoreFull } from '../db/store-full.ts';
import type { Logger } from '../logger.ts';
import { createAdminAccess, type AdminEnv } from './access.ts';
import { createAuth, type AuthDeps } from './auth.ts';
import { createCaseworkRoutes, type CaseworkDeps } from './casework.routes.ts';
import { createInboxRoutes, type InboxDeps } from './inbox.routes.ts';
import { createIntakeRoutes, type IntakeDeps } from './intake.routes.ts';
import { createIntegrationsRoutes, type IntegrationsDeps } from './integrations.routes.ts';
import { createCatalogueAdminRoutes, type CatalogueAdminDeps } from './catalogue.routes.ts';
import { createStatsRoutes } from './stats.routes.ts';
import { createRoutingRoutes } from './routing.routes.ts';
import type { RoutingStore } from '../requests/routing.store.ts';
import type { StatsStore } from './stats.store.ts';
import { unexpectedError } from '../http/unexpected.ts';

/**
 * A login is an e-mail (254 characters at most) and a password (1000): even with every character
 * escaped as `\uXXXX`, under 8 kB. Nobody is known yet, so nothing more is read.
 */
const LOGIN_MAX_BYTES = 8 * 1024;
/**
 * Staff send catalogues (a large city's, translated: a few hundred kB) and service areas or routing
 * zones as GeoJSON, which at full survey detail reach a few MB for a large commune: 8 MB leaves room
 * without letting one call hold much memory.
 */
const ADMIN_MAX_BYTES = 8 * 1024 * 1024;

export type AdminDeps = Omit<AuthDeps, 'audit'> & Omit<CaseworkDeps & InboxDeps & IntakeDeps & IntegrationsDeps & CatalogueAdminDeps, 'access'> & { logger: Logger; stats: StatsStore; routing: RoutingStore };

/**
 * The back office's API (`/admin/api`): `POST/GET/DELETE session` to log in, see who one is (with the CSRF
 * token) and log out; everything else needs a session, and a role in the jurisdiction of its path
 * (`/j/:jurisdiction/…`). Bodies are JSON, capped at 8 kB for a login and 8 MB otherwise, and read only
 * once the session is known. Errors are JSON, `{"error": {"code", "message", "problems"?}}`; answers are
 * never cached.
 */
export function createAdminRoutes(deps: AdminDeps) {
  const auth = createAuth({ ...deps, audit: (entry) => deps.audit.record(entry) });
  const routes = { ...deps, access: createAdminAccess(deps) };
  const app = new Hono<AdminEnv>();
  app.use('*', async (c, next) => {
    await next();
    c.header('Cache-Control', 'no-store');
  });
  app.post('/session', bodyLimit(jsonBodyLimit(LOGIN_MAX_BYTES)), (c) => auth.login(c));
  // The session is checked before any body is read: an anonymous call is refused without reading it.
  app.use('*', auth.required());
  app.use('*', bodyLimit(jsonBodyLimit(ADMIN_MAX_BYTES)));
  app.get('/session', (c) => auth.me(c));
  app.delete('/session', (c) => auth.logout(c));
  app.post('/password', (c) => auth.changePassword(c));
  app.route('/', createCaseworkRoutes(routes));
  app.route('/', createInboxRoutes(routes));
  app.route('/', createIntakeRoutes(routes));
  app.route('/', createIntegrationsRoutes(routes));
  app.route('/', createCatalogueAdminRoutes(routes));
  app.route('/', createStatsRoutes(routes));
  app.route('/', createRoutingRoutes(routes));
  app.all('*', () => {
    throw new JsonError(404, 'not a back-office resource');
  });
  app.onError((err, c) => {
    if (err instanceof JsonError) return c.json(err.body(), err.status);
    if (isStoreFull(err)) return storeFullAnswer(c, deps.logger);
    return unexpectedError(deps.logger, c, err) ?? c.json({ error: { code: 500, message: 'internal error' } }, 500);
  });
  return app;
}
