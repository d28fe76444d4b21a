import { randomBytes } from 'node:crypto';
import type { Db } from '../db/database.ts';
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

export type StaffStore = ReturnType<typeof createStaffStore>;

/** Staff accounts, their roles per jurisdiction, their sessions, and failed logins. */
export function createStaffStore(db: Db) {
  const insert = db.prepare<[string, string, string, number], { id: number }>(
    'INSERT INTO staff_users (email, name, password_hash, created_at) VALUES (?, ?, ?, ?) RETURNING id',
  );
  const setRole = db.prepare('INSERT INTO staff_roles VALUES (?, ?, ?) ON CONFLICT DO UPDATE SET role = excluded.role');
  const byEmail = db.prepare<[string], { id: number; email: string; name: string; password_hash: string }>(
    'SELECT id, email, name, password_hash FROM staff_users WHERE email = ? AND disabled_at IS NULL',
  );
  const byId = db.prepare<[number], { id: number; email: string; name: string }>('SELECT id, email, name FROM staff_users WHERE id = ? AND disabled_at IS NULL');
  const rolesOf = db.prepare<[number], { jurisdiction_id: string; role: Role }>('SELECT jurisdiction_id, role FROM staff_roles WHERE staff_id = ?');
  const openSession = db.prepare('INSERT INTO staff_sessions VALUES (?, ?, ?, ?, ?, ?)');
  const session = db.prepare<[string], { staff_id: number; csrf_token: string; last_seen_at: number; expires_at: number }>(
    'SELECT staff_id, csrf_token, last_seen_at, expires_at FROM staff_sessions WHERE token_hash = ?',
  );
  const seen = db.prepare('UPDATE staff_sessions SET last_seen_at = ? WHERE token_hash = ?');
  const close = db.prepare('DELETE FROM staff_sessions WHERE token_hash = ?');
  const sweep = db.prepare('DELETE FROM staff_sessions WHERE expires_at < ? OR last_seen_at < ?');
  const fail = db.prepare('INSERT INTO login_failures VALUES (?, ?)');
  const failures = db.prepare<[string, number], { n: number; first: number | null }>('SELECT count(*) AS n, min(at) AS first FROM login_failures WHERE key = ? AND at >= ?');
  const forget = db.prepare('DELETE FROM login_failures WHERE key = ?');
  const withdraw = db.prepare('DELETE FROM login_failures WHERE rowid = (SELECT rowid FROM login_failures WHERE key = ? AND at = ? LIMIT 1)');
  const setHash = db.prepare('UPDATE staff_users SET password_hash = ? WHERE id = ?');
  const closeOthers = db.prepare('DELETE FROM staff_sessions WHERE staff_id = ? AND token_hash <> ?');
  const removeRole = db.prepare('DELETE FROM staff_roles WHERE staff_id = ? AND jurisdiction_id = ?');
  const staffOf = db.prepare<[string], { id: number; email: string; name: string; role: Role }>(
    `SELECT u.id, u.email, u.name, r.role FROM staff_users u JOIN staff_roles r ON r.staff_id = u.id
     WHERE r.jurisdiction_id = ? AND u.disabled_at IS NULL ORDER BY u.name`,
  );

  const staff = (row: { id: number; email: string; name: string }): Staff => ({
    ...row, roles: new Map(rolesOf.all(row.id).map((r) => [r.jurisdiction_id, r.role])),
  });

  return {
    /** Creates a staff member with a password hash made by the caller (hashing is slow: it happens outside the transaction). */
    create: db.transaction((input: { email: string; name: string; passwordHash: string; roles: [jurisdictionId: string, role: Role][]; now: number }) => {
      const { id } = insert.get(input.email, input.name, input.passwordHash, input.now)!;
      for (const [jurisdiction, role] of input.roles) setRole.run(id, jurisdiction, role);
      return id;
    }),
    setRole(staffId: number, jurisdictionId: string, role: Role): void {
      setRole.run(staffId, jurisdictionId, role);
    },
    /** Takes a staff member's role in a jurisdiction away; false if they had none there. */
    removeRole(staffId: number, jurisdictionId: string): boolean {
      return removeRole.run(staffId, jurisdictionId).changes > 0;
    },
    /** A new password hash; every session but the one of `keepToken` ends. */
    setPassword: db.transaction((staffId: number, passwordHash: string, keepToken: string) => {
      setHash.run(passwordHash, staffId);
      closeOthers.run(staffId, hashSecret(keepToken));
    }),
    /** The active account behind an e-mail, with its password hash (for the login to check). */
    credentials(email: string) {
      return byEmail.get(email);
    },
    get(id: number): Staff | undefined {
      const row = byId.get(id);
      return row && staff(row);
    },
    /** The staff of a jurisdiction, with their role there. */
    ofJurisdiction(jurisdictionId: string) {
      return staffOf.all(jurisdictionId);
    },
    /** Opens a session: returns the cookie's token (shown once; only its hash is kept) and the CSRF token. */
    openSession(staffId: number, now: number): { token: string; csrfToken: string; expiresAt: number } {
      sweep.run(now, now - IDLE_SECONDS);
      const token = randomBytes(32).toString('base64url');
      const csrfToken = randomBytes(24).toString('base64url');
      const expiresAt = now + SESSION_HOURS * 3600;
      openSession.run(hashSecret(token), staffId, csrfToken, now, now, expiresAt);
      return { token, csrfToken, expiresAt };
    },
    /** The live session behind a cookie token (and marks it used), or undefined: unknown, expired or idle. */
    session(token: string, now: number): Session | undefined {
      const hash = hashSecret(token);
      const row = session.get(hash);
      if (!row || row.expires_at <= now || row.last_seen_at < now - IDLE_SECONDS) return undefined;
      const who = this.get(row.staff_id);
      if (!who) return undefined;
      seen.run(now, hash);
      return { staff: who, csrfToken: row.csrf_token, expiresAt: row.expires_at };
    },
    closeSession(token: string): void {
      close.run(hashSecret(token));
    },
    /** Failed logins for `key` (an e-mail or an address) within the last `windowSeconds`, and the oldest. */
    failures(key: string, now: number, windowSeconds: number) {
      return failures.get(key, now - windowSeconds)!;
    },
    recordFailure(keys: string[], now: number): void {
      for (const key of keys) fail.run(key, now);
    },
    forgetFailures(key: string): void {
      forget.run(key);
    },
    /** Takes back one failure counted for `key` at `at` (an attempt counted before it was known to succeed). */
    withdrawFailure(key: string, at: number): void {
      withdraw.run(key, at);
    },
  };
}
