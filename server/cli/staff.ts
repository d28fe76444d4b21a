import { readFileSync } from 'node:fs';
import { MIN_PASSWORD, hashPassword } from '../admin/passwords.ts';
import { writeAudit } from '../admin/audit-log.ts';
import { ROLES, createStaffStore, type Role } from '../admin/staff.store.ts';
import { createCatalogueStore } from '../catalogue/catalogue.store.ts';
import type { Queryable } from '../db/engine.ts';
import { UsageError } from './keys.ts';
import { isEmailAddress } from '../shared/checks.ts';

/** The flags `georeport staff …` reads. */
export const STAFF_FLAGS = ['email', 'role'];

/** The password: `GEOREPORT_STAFF_PASSWORD` (for scripts), else the first line of standard input. */
function password(env: Record<string, string | undefined>): string {
  const given = env.GEOREPORT_STAFF_PASSWORD ?? readFileSync(0, 'utf8').split('\n')[0] ?? '';
  if ([...given].length < MIN_PASSWORD) throw new UsageError(`the password must have at least ${MIN_PASSWORD} characters (from GEOREPORT_STAFF_PASSWORD or standard input)`);
  return given;
}

/**
 * `georeport staff create --email E --name N --jurisdiction J[,K] [--role administrator|agent|readonly]`:
 * the first administrator (or any staff member) from the shell; `staff list --jurisdiction J`;
 * `staff password --email E`: a forgotten password replaced (every session of the account ends).
 */
export async function staffCommand(engine: Queryable, args: string[], flags: Record<string, string | undefined>, env: Record<string, string | undefined>, out: (line: string) => void): Promise<void> {
  const store = createStaffStore(engine);
  const audit = (at: number, entry: Parameters<typeof writeAudit>[2]) => writeAudit(engine, at, entry);
  const jurisdictions = (flags.jurisdiction ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const catalogue = createCatalogueStore(engine);
  for (const j of jurisdictions) if (!(await catalogue.jurisdiction(j))) throw new UsageError(`no jurisdiction ${j} on this server`);
  if (args[0] === 'create') {
    const { email, name } = flags;
    const role = (flags.role ?? 'administrator') as Role;
    if (!email || !isEmailAddress(email)) throw new UsageError('staff create needs --email');
    if (!name || name === 'true') throw new UsageError('staff create needs --name');
    if (!ROLES.includes(role)) throw new UsageError(`--role is one of ${ROLES.join(', ')}`);
    if (jurisdictions.length === 0) throw new UsageError('staff create needs --jurisdiction (one or a comma list)');
    if (await store.credentials(email)) throw new UsageError(`${email} has an account already`);
    const passwordHash = await hashPassword(password(env));
    const id = await store.create({ email: email.toLowerCase(), name, passwordHash, roles: jurisdictions.map((j) => [j, role]), now: Math.floor(Date.now() / 1000) });
    for (const jurisdictionId of jurisdictions) await audit(Math.floor(Date.now() / 1000), { jurisdictionId, actor: 'cli', action: 'staff.create', target: `staff:${id}`, detail: { role } });
    out(`created staff ${id} (${email}), ${role} of ${jurisdictions.join(', ')}; they log in at /admin`);
    return;
  }
  if (args[0] === 'list') {
    if (jurisdictions.length !== 1) throw new UsageError('staff list needs --jurisdiction');
    for (const s of await store.ofJurisdiction(jurisdictions[0]!)) out([s.id, s.role, s.email, s.name].join('\t'));
    return;
  }
  if (args[0] === 'password') {
    const account = flags.email ? await store.credentials(flags.email.toLowerCase()) : undefined;
    if (!account) throw new UsageError('staff password needs the --email of an account');
    await store.setPassword(account.id, await hashPassword(password(env)), '');
    for (const jurisdictionId of (await store.get(account.id))!.roles.keys()) {
      await audit(Math.floor(Date.now() / 1000), { jurisdictionId, actor: 'cli', action: 'staff.password', target: `staff:${account.id}` });
    }
    out(`new password for staff ${account.id} (${account.email}); their sessions are closed`);
    return;
  }
  throw new UsageError('staff takes create, list or password');
}
