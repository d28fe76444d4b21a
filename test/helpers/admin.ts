import assert from 'node:assert/strict';
import { hashPassword } from '../../server/admin/passwords.ts';
import { createStaffStore, type Role } from '../../server/admin/staff.store.ts';
import type { TestApp } from './app.ts';

export const PASSWORD = 'correct horse battery staple';
/** One hash for every test account: scrypt is slow on purpose. */
const HASH = hashPassword(PASSWORD);

export interface StaffSession {
  id: number;
  cookie: string;
  csrf: string;
}

/** Creates a staff member with `roles` (jurisdiction → role). */
export async function createStaff(t: TestApp, email: string, roles: Record<string, Role>): Promise<number> {
  return createStaffStore(t.engine).create({ email, name: email.split('@')[0]!, passwordHash: await HASH, roles: Object.entries(roles), now: Math.floor(t.clock.ms / 1000) });
}

/** Calls the back-office API. */
export async function admin(t: TestApp, session: Partial<StaffSession> | null, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await t.app.request(`http://localhost/admin/api/${path}`, {
    method,
    headers: {
      'Content-Type': 'application/json',
      ...(session?.cookie ? { Cookie: session.cookie } : {}),
      ...(session?.csrf ? { 'X-CSRF-Token': session.csrf } : {}),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  const json = res.headers.get('content-type')?.startsWith('application/json');
  return { res, status: res.status, body: (text ? (json ? JSON.parse(text) : { text }) : null) as Record<string, any> };
}

/** Logs in (asserting success): the session's cookie and CSRF token. */
export async function login(t: TestApp, email: string, password = PASSWORD): Promise<StaffSession> {
  const { res, status, body } = await admin(t, null, 'POST', 'session', { email, password });
  assert.equal(status, 200, JSON.stringify(body));
  const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
  return { id: Number(body.staff.id), cookie, csrf: body.csrf_token };
}

/** A staff member with `role` in the demo city (and `others`), logged in. */
export async function staffWith(t: TestApp, role: Role, others: Record<string, Role> = {}): Promise<StaffSession> {
  const email = `${role}-${Math.random().toString(36).slice(2)}@ville.example`;
  await createStaff(t, email, { 'ville.example': role, ...others });
  return login(t, email);
}
