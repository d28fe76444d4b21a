import { randomBytes } from 'node:crypto';
import type { Queryable } from '../db/engine.ts';
import { hashSecret } from '../keys/secrets.ts';

export const ROLES = ['administrator', 'agent', 'readonly'] as const;
export type Role = (typeof ROLES)[number];

export interface Staff {
  id: number;
  email: string;
  name: string;
  /** Role by jurisdiction id (a Map: ids come from URLs, and no object property may pass for a role). */
  roles: Map<string, Role>;
}

export interface Session {
  staff: Staff;
  csrfToken: string;
  expiresAt: number;
}

/** A session lasts a working day, and ends after two hours without use. */
export const SESSION_HOURS = 12;
const IDLE_SECONDS = 2 * 3600;

/** Failed logins recently counted for a key, and the oldest of them (null when none). */
export interface Failures {
  n: number;
  first: number | null;
}

type Account = { id: number; email: string; name: string };

/**
 * The statements the engines must write apart. E-mails: SQLite's column is `COLLATE NOCASE` (its unique
 * index answers `email = ?` without case), PostgreSQL's unique index is on `lower(email)`, which only
 * `lower(email) = lower(?)` uses. Failures: two equal rows of `login_failures` differ only by where they
 * are kept (`rowid` on SQLite, `ctid` on PostgreSQL, which has no row id of its own); and on PostgreSQL a
 * login's check and count hold a lock per key for their transaction, as SQLite's one writer does.
 */
const DIALECT = {
  sqlite: {
    byEmail: 'SELECT id, email, name, password_hash FROM staff_users WHERE email = ? AND disabled_at IS NULL',
    withdraw: 'DELETE FROM login_failures WHERE rowid = (SELECT rowid FROM login_failures WHERE key = ? AND at = ? LIMIT 1)',
    lock: undefined,
  },
  postgres: {
    byEmail: 'SELECT id, email, name, password_hash FROM staff_users WHERE lower(email) = lower(?) AND disabled_at IS NULL',
    withdraw: 'DELETE FROM login_failures WHERE ctid = (SELECT ctid FROM login_failures WHERE key = ? AND at = ? LIMIT 1)',
    // The two-integer key space, apart from the migrations' one-bigint lock; 'logn' in ASCII.
    lock: 'SELECT pg_advisory_xact_lock(1819240302, hashtext(?))',
  },
} as const;

export type StaffStore = ReturnType<typeof createStaffStore>;

/**
 * Staff accounts, their roles per jurisdiction, their sessions, and failed logins. No rule of these
 * tables is kept by a trigger, except `staff_roles_unassign_*` (requests left unassigned when a role is
 * taken away or lowered to readonly): a trigger on SQLite, `staff_roles_unassign()` in
 * `pg-migrations/011-assignment.ts` on PostgreSQL.
 */
export function createStaffStore(db: Queryable) {
  const dialect = DIALECT[db.kind];

  const rolesOf = async (q: Queryable, id: number) =>
    new Map((await q.query<{ jurisdiction_id: string; role: Role }>('SELECT jurisdiction_id, role FROM staff_roles WHERE staff_id = ? ORDER BY jurisdiction_id', [id]))
      .map((r) => [r.jurisdiction_id, r.role]));
  const account = (q: Queryable, id: number) =>
    q.one<Account>('SELECT id, email, name FROM staff_users WHERE id = ? AND disabled_at IS NULL', [id]);
  const setRole = (q: Queryable, staffId: number, jurisdictionId: string, role: Role) =>
    q.run('INSERT INTO staff_roles (staff_id, jurisdiction_id, role) VALUES (?, ?, ?) ON CONFLICT (staff_id, jurisdiction_id) DO UPDATE SET role = excluded.role', [
      staffId, jurisdictionId, role,
    ]);
  const failures = async (q: Queryable, key: string, since: number): Promise<Failures> =>
    (await q.one<Failures>('SELECT count(*) AS n, min(at) AS first FROM login_failures WHERE key = ? AND at >= ?', [key, since]))!;

  return {
    /** Creates a staff member with a password hash made by the caller (hashing is slow: it happens outside the transaction). */
    create(input: { email: string; name: string; passwordHash: string; roles: [jurisdictionId: string, role: Role][]; now: number }): Promise<number> {
      return db.transaction(async (tx) => {
        const { lastId } = await tx.run('INSERT INTO staff_users (email, name, password_hash, created_at) VALUES (?, ?, ?, ?) RETURNING id', [
          input.email, input.name, input.passwordHash, input.now,
        ]);
        for (const [jurisdiction, role] of input.roles) await setRole(tx, lastId!, jurisdiction, role);
        return lastId!;
      });
    },
    async setRole(staffId: number, jurisdictionId: string, role: Role): Promise<void> {
      await setRole(db, staffId, jurisdictionId, role);
    },
    /** Takes a staff member's role in a jurisdiction away; false if they had none there. */
    async removeRole(staffId: number, jurisdictionId: string): Promise<boolean> {
      return (await db.run('DELETE FROM staff_roles WHERE staff_id = ? AND jurisdiction_id = ?', [staffId, jurisdictionId])).changes > 0;
    },
    /** A new password hash; every session but the one of `keepToken` ends. */
    setPassword(staffId: number, passwordHash: string, keepToken: string): Promise<void> {
      return db.transaction(async (tx) => {
        await tx.run('UPDATE staff_users SET password_hash = ? WHERE id = ?', [passwordHash, staffId]);
        await tx.run('DELETE FROM staff_sessions WHERE staff_id = ? AND token_hash <> ?', [staffId, hashSecret(keepToken)]);
      });
    },
    /** The active account behind an e-mail (any case), with its password hash (for the login to check). */
    credentials(email: string) {
      return db.one<Account & { password_hash: string }>(dialect.byEmail, [email]);
    },
    async get(id: number): Promise<Staff | undefined> {
      const row = await account(db, id);
      return row && { ...row, roles: await rolesOf(db, row.id) };
    },
    /** The staff of a jurisdiction, with their role there, by name (then id: collations differ between engines). */
    ofJurisdiction(jurisdictionId: string) {
      return db.query<Account & { role: Role }>(
        `SELECT u.id, u.email, u.name, r.role FROM staff_users u JOIN staff_roles r ON r.staff_id = u.id
         WHERE r.jurisdiction_id = ? AND u.disabled_at IS NULL ORDER BY u.name, u.id`,
        [jurisdictionId],
      );
    },
    /** Opens a session: returns the cookie's token (shown once; only its hash is kept) and the CSRF token. */
    async openSession(staffId: number, now: number): Promise<{ token: string; csrfToken: string; expiresAt: number }> {
      const token = randomBytes(32).toString('base64url');
      const csrfToken = randomBytes(24).toString('base64url');
      const expiresAt = now + SESSION_HOURS * 3600;
      await db.run('DELETE FROM staff_sessions WHERE expires_at < ? OR last_seen_at < ?', [now, now - IDLE_SECONDS]);
      await db.run('INSERT INTO staff_sessions (token_hash, staff_id, csrf_token, created_at, last_seen_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)', [
        hashSecret(token), staffId, csrfToken, now, now, expiresAt,
      ]);
      return { token, csrfToken, expiresAt };
    },
    /** The live session behind a cookie token (and marks it used), or undefined: unknown, expired or idle. */
    async session(token: string, now: number): Promise<Session | undefined> {
      const hash = hashSecret(token);
      const row = await db.one<{ staff_id: number; csrf_token: string; last_seen_at: number; expires_at: number }>(
        'SELECT staff_id, csrf_token, last_seen_at, expires_at FROM staff_sessions WHERE token_hash = ?',
        [hash],
      );
      if (!row || row.expires_at <= now || row.last_seen_at < now - IDLE_SECONDS) return undefined;
      const who = await this.get(row.staff_id);
      if (!who) return undefined;
      await db.run('UPDATE staff_sessions SET last_seen_at = ? WHERE token_hash = ?', [now, hash]);
      return { staff: who, csrfToken: row.csrf_token, expiresAt: row.expires_at };
    },
    async closeSession(token: string): Promise<void> {
      await db.run('DELETE FROM staff_sessions WHERE token_hash = ?', [hashSecret(token)]);
    },
    /**
     * A login attempt for `keys` (each with its most failures allowed in the window): when one of them
     * failed too often lately, that key and its failures (nothing is counted); else the attempt is counted
     * as a failure of every key at once, in the same transaction as the check, so guesses sent together
     * cannot all slip through before the first is counted (on SQLite, the one writer; on PostgreSQL, a
     * lock per key, taken in one order).
     */
    attempt(keys: [key: string, max: number][], now: number, windowSeconds: number): Promise<{ key: string; failures: Failures } | undefined> {
      return db.transaction(async (tx) => {
        if (dialect.lock) for (const key of keys.map(([k]) => k).sort()) await tx.one(dialect.lock, [key]);
        for (const [key, max] of keys) {
          const f = await failures(tx, key, now - windowSeconds);
          if (f.n >= max) return { key, failures: f };
        }
        for (const [key] of keys) await tx.run('INSERT INTO login_failures (key, at) VALUES (?, ?)', [key, now]);
        return undefined;
      });
    },
    async forgetFailures(key: string): Promise<void> {
      await db.run('DELETE FROM login_failures WHERE key = ?', [key]);
    },
    /** Takes back one failure counted for `key` at `at` (an attempt counted before it was known to succeed). */
    async withdrawFailure(key: string, at: number): Promise<void> {
      await db.run(dialect.withdraw, [key, at]);
    },
  };
}
