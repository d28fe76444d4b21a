import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { addressGroup, clientIp } from '../http/client-ip.ts';
import { readJson } from '../http/json-body.ts';
import { JsonError } from '../http/json-error.ts';
import { sameSecret } from '../keys/secrets.ts';
import { hashPassword, MIN_PASSWORD, verifyPassword } from './passwords.ts';
import type { AdminEnv } from './access.ts';
import type { AuditRecord } from './audit-log.ts';
import { SESSION_HOURS, type Session, type StaffStore } from './staff.store.ts';

export const SESSION_COOKIE = 'georeport_session';
/** After this many failed logins in the window, for one e-mail (or twenty for one address), logins wait. */
const MAX_FAILURES = { email: 5, address: 20 };
const FAILURE_WINDOW = 15 * 60;

export interface AuthDeps {
  staff: StaffStore;
  /** The public URL: its scheme decides the cookie's `Secure`, its origin the accepted `Origin`. */
  publicUrl: string;
  trustProxy: boolean;
  now: () => number;
  audit(entry: AuditRecord): void | Promise<void>;
}

const seconds = (deps: AuthDeps) => Math.floor(deps.now() / 1000);
/** Compared against when the e-mail is unknown, so a wrong e-mail takes as long as a wrong password. */
const DECOY = hashPassword('georeport decoy password');

/**
 * Logins and sessions of the back office. A session is an HttpOnly, SameSite=Strict cookie (Secure over
 * https) holding a random token whose hash only is stored; every change also carries the session's CSRF
 * token in `X-CSRF-Token`, and a request from another origin is refused.
 */
export function createAuth(deps: AuthDeps) {
  const origin = new URL(deps.publicUrl).origin;
  const secure = deps.publicUrl.startsWith('https:');

  const me = (session: Session) => ({
    staff: { id: String(session.staff.id), email: session.staff.email, name: session.staff.name, roles: Object.fromEntries(session.staff.roles) },
    csrf_token: session.csrfToken,
  });

  /** Another origin's page may not act with our cookie (SameSite is the first wall, this the second). */
  const sameOrigin = (c: Context) => {
    const from = c.req.header('origin');
    if (from && from !== origin && from !== new URL(c.req.url).origin) throw new JsonError(403, 'requests from another origin are refused');
  };

  /**
   * 429 (with Retry-After) when one of `keys` failed too often lately; else the attempt is counted as a
   * failure at once, before the slow password check, and withdrawn if the password is right. The check and
   * the count happen in one transaction (`StaffStore.attempt`), so guesses sent together cannot all slip
   * through before the first one is counted.
   */
  const attempt = async (c: Context, keys: [string, number][], now: number) => {
    const refused = await deps.staff.attempt(keys, now, FAILURE_WINDOW);
    if (refused) {
      c.header('Retry-After', String(Math.max(1, refused.failures.first! + FAILURE_WINDOW - now)));
      throw new JsonError(429, 'too many failed logins; try again later');
    }
  };

  return {
    /** `POST /session {email, password}`: a new session, or 401 (the same for an unknown e-mail), or 429 after repeated failures. */
    async login(c: Context) {
      sameOrigin(c);
      const body = (await readJson(c)) as { email?: unknown; password?: unknown } | null;
      if (typeof body?.email !== 'string' || typeof body.password !== 'string' || body.email.length > 254 || body.password.length > 1000) {
        throw new JsonError(400, 'email and password are required');
      }
      const now = seconds(deps);
      const email = body.email.trim().toLowerCase();
      const [byEmail, byAddress] = [`email:${email}`, `ip:${addressGroup(clientIp(c, deps.trustProxy))}`];
      await attempt(c, [[byEmail, MAX_FAILURES.email], [byAddress, MAX_FAILURES.address]], now);
      const account = await deps.staff.credentials(email);
      const ok = await verifyPassword(body.password, account?.password_hash ?? (await DECOY));
      if (!account || !ok) {
        await deps.audit({ jurisdictionId: null, actor: 'anonymous', action: 'staff.login_failed', target: null, detail: { email: email.slice(0, 100) } });
        throw new JsonError(401, 'wrong e-mail or password');
      }
      await deps.staff.forgetFailures(byEmail);
      await deps.staff.withdrawFailure(byAddress, now);
      const opened = await deps.staff.openSession(account.id, now);
      setCookie(c, SESSION_COOKIE, opened.token, { httpOnly: true, secure, sameSite: 'Strict', path: '/admin', maxAge: SESSION_HOURS * 3600 });
      await deps.audit({ jurisdictionId: null, actor: `staff:${account.id}`, action: 'staff.login', target: `staff:${account.id}` });
      return c.json(me((await deps.staff.session(opened.token, now))!));
    },

    /** Every other admin call: a live session (401), and the CSRF token on every change (403). */
    required(): MiddlewareHandler<AdminEnv> {
      return async function session(c, next) {
        const token = getCookie(c, SESSION_COOKIE);
        const found = token ? await deps.staff.session(token, seconds(deps)) : undefined;
        if (!found) throw new JsonError(401, 'log in first');
        if (!['GET', 'HEAD', 'OPTIONS'].includes(c.req.method)) {
          sameOrigin(c);
          if (!sameSecret(c.req.header('x-csrf-token') ?? '', found.csrfToken)) throw new JsonError(403, 'the X-CSRF-Token header is missing or wrong');
        }
        c.set('session', found);
        await next();
      };
    },

    me: (c: Context<AdminEnv>) => c.json(me(c.get('session'))),

    /**
     * `POST /password {current_password, new_password}`: one's own new password (the current one checked,
     * failures throttled like logins); every other session of the account ends.
     */
    async changePassword(c: Context<AdminEnv>) {
      const body = (await readJson(c)) as { current_password?: unknown; new_password?: unknown } | null;
      const [current, next] = [body?.current_password, body?.new_password];
      if (typeof current !== 'string' || typeof next !== 'string' || current.length > 1000 || next.length > 1000) {
        throw new JsonError(400, 'current_password and new_password are required');
      }
      if ([...next].length < MIN_PASSWORD) throw new JsonError(400, `the new password must have at least ${MIN_PASSWORD} characters`);
      const { staff } = c.get('session');
      const now = seconds(deps);
      const key = `email:${staff.email}`;
      await attempt(c, [[key, MAX_FAILURES.email]], now);
      const own = (action: string) => deps.audit({ jurisdictionId: null, actor: `staff:${staff.id}`, action, target: `staff:${staff.id}` });
      if (!(await verifyPassword(current, (await deps.staff.credentials(staff.email))!.password_hash))) {
        await own('staff.password_failed');
        throw new JsonError(403, 'the current password is wrong');
      }
      await deps.staff.withdrawFailure(key, now);
      await deps.staff.setPassword(staff.id, await hashPassword(next), getCookie(c, SESSION_COOKIE)!);
      await own('staff.password');
      return c.body(null, 204);
    },

    async logout(c: Context<AdminEnv>) {
      const token = getCookie(c, SESSION_COOKIE);
      if (token) await deps.staff.closeSession(token);
      deleteCookie(c, SESSION_COOKIE, { path: '/admin', secure, httpOnly: true, sameSite: 'Strict' });
      const actor = `staff:${c.get('session').staff.id}`;
      await deps.audit({ jurisdictionId: null, actor, action: 'staff.logout', target: actor });
      return c.body(null, 204);
    },
  };
}
