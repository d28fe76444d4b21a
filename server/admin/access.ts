import type { MiddlewareHandler } from 'hono';
import type { CatalogueStore } from '../catalogue/catalogue.store.ts';
import type { Jurisdiction } from '../catalogue/catalogue.types.ts';
import { JsonError } from '../http/json-error.ts';
import { ROLES, type Role, type Session, type StaffStore } from './staff.store.ts';

/** The path of a town's back-office routes: every one of them goes through `access.role`, which reads `:jurisdiction`. */
export const TOWN_PATH = '/j/:jurisdiction{[a-z0-9.-]+}';

export type AdminEnv = { Variables: { session: Session; jurisdiction: Jurisdiction } };

/** Whether `has` is at least `needs` (administrator > agent > readonly). */
export const atLeast = (has: Role | undefined, needs: Role) => has !== undefined && ROLES.indexOf(has) <= ROLES.indexOf(needs);

export type AdminAccess = ReturnType<typeof createAdminAccess>;

/**
 * Who may do what in the back office, decided here only. Every call about a town (`/j/:jurisdiction/…`)
 * names one that exists (404 otherwise, before any role is looked at: an id such as `constructor` is not a
 * town) and needs at least a role there (403). Roles are held in a `Map`, so no name a JavaScript object
 * answers to can pass for a role. The town found is handed to the route (`c.get('jurisdiction')`).
 * Requests are given only to staff who may act on them there (`assignees`).
 */
export function createAdminAccess(deps: { catalogue: CatalogueStore; staff: StaffStore }) {
  return {
    /** Who may be given a town's requests: its staff who may act there (agents and administrators), by name. */
    async assignees(jurisdictionId: string): Promise<{ id: number; name: string }[]> {
      return (await deps.staff.ofJurisdiction(jurisdictionId)).filter((s) => atLeast(s.role, 'agent')).map(({ id, name }) => ({ id, name }));
    },

    role(needs: Role): MiddlewareHandler<AdminEnv> {
      return async function role(c, next) {
        const id = c.req.param('jurisdiction') ?? '';
        const jurisdiction = await deps.catalogue.jurisdiction(id);
        if (!jurisdiction) throw new JsonError(404, `no jurisdiction ${id.slice(0, 100)} is served here`);
        if (!atLeast(c.get('session').staff.roles.get(jurisdiction.id), needs)) {
          throw new JsonError(403, `this needs the ${needs} role in ${jurisdiction.id}`);
        }
        c.set('jurisdiction', jurisdiction);
        await next();
      };
    },
  };
}
