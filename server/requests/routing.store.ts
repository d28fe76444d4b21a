import type { Queryable } from '../db/engine.ts';
import { createVersionedCache } from '../db/versioned-cache.ts';
import type { Refusal } from '../georeport/georeport.errors.ts';
import { contains, parseArea, type Area } from './geometry.ts';

export interface Route {
  departmentId: number;
  /** The department's agency, when it names one (else the service's stays). */
  agency: string | null;
  busAppId: number | null;
}

/** What to do with a request placed outside the jurisdiction's area. */
export interface Outside {
  /** `refuse`: a 400; `refer`: accepted, then closed as referred with `note` as its public note. */
  action: 'refuse' | 'refer';
  note: string | null;
  jurisdictionName: string;
  /** What residents read when a place is refused, as the administrator wrote it, by language (`fr`, `en`). */
  message: OutsideMessage;
}

/** The administrator's words for a place outside the area, by language; a language left out has none. */
export type OutsideMessage = Partial<Record<'fr' | 'en', string>>;

/** Reads a jurisdiction's settings as the routing page writes them (`outside`, `refer_note`, `outside_message`). */
export function outsideSettings(settings: string): { outside: 'refuse' | 'refer'; referNote: string | null; message: OutsideMessage } {
  const s = JSON.parse(settings) as { outside?: string; refer_note?: string | null; outside_message?: OutsideMessage | null };
  return { outside: s.outside === 'refer' ? 'refer' : 'refuse', referNote: s.refer_note ?? null, message: s.outside_message ?? {} };
}

export type Router = ReturnType<typeof createRouter>;

/**
 * Routing of new requests: the first rule whose service matches (or any) and whose department's zone
 * holds the place (or any place) gives the department, its agency and its bus app; and the jurisdiction's
 * area, outside which a request is refused or referred.
 */
export function createRouter(db: Queryable) {
  const cache = createVersionedCache(db, 'catalogue');
  /**
   * A town's rules and area: read by every filing, written rarely, so cached until the town's catalogue
   * version moves (any write to its departments, rules or jurisdiction row moves it: migrations 018, 019).
   */
  const rules = (jurisdictionId: string) =>
    cache.get(jurisdictionId, 'routing rules', () =>
      db.query<{ service_id: number | null; id: number; agency: string | null; zone: string | null; bus_app_id: number | null }>(
        `SELECT r.service_id, d.id, d.agency, d.zone, d.bus_app_id FROM routing_rules r JOIN departments d ON d.id = r.department_id
         WHERE r.jurisdiction_id = ? ORDER BY r.position, r.id`,
        [jurisdictionId],
      ));
  const jurisdiction = (id: string) =>
    cache.get(id, 'routing area', () =>
      db.one<{ name: string; service_area: string | null; settings: string }>('SELECT name, service_area, settings FROM jurisdictions WHERE id = ?', [id]));
  // Zones are read often and written rarely: parsed once per text.
  const areas = new Map<string, Area | null>();
  const area = (json: string) => {
    if (!areas.has(json)) {
      if (areas.size > 1000) areas.clear();
      const parsed = parseArea(JSON.parse(json));
      areas.set(json, typeof parsed === 'string' ? null : parsed);
    }
    return areas.get(json)!;
  };
  const inside = (json: string | null, lat: number | null, long: number | null) =>
    json === null || (lat !== null && long !== null && (area(json) === null || contains(area(json)!, lat, long)));

  return {
    async route(jurisdictionId: string, serviceId: number, lat: number | null, long: number | null): Promise<Route | null> {
      const rule = (await rules(jurisdictionId)).find((r) => (r.service_id === null || r.service_id === serviceId) && inside(r.zone, lat, long));
      return rule ? { departmentId: rule.id, agency: rule.agency, busAppId: rule.bus_app_id } : null;
    },
    /** The administrator's message for places outside the area, by language (none when not written). */
    async outsideMessage(jurisdictionId: string): Promise<OutsideMessage> {
      const j = await jurisdiction(jurisdictionId);
      return j ? outsideSettings(j.settings).message : {};
    },
    /** Undefined when the place is in the jurisdiction's area (or it has none, or the place is unknown). */
    async outside(jurisdictionId: string, lat: number | null, long: number | null): Promise<Outside | undefined> {
      const j = await jurisdiction(jurisdictionId);
      if (!j?.service_area || lat === null || long === null || inside(j.service_area, lat, long)) return undefined;
      const settings = outsideSettings(j.settings);
      return { action: settings.outside, note: settings.referNote, jurisdictionName: j.name, message: settings.message };
    },
  };
}

/**
 * What routing decides for a new request of `service` at (lat, long): its department, agency and bus app,
 * and its referral when it lies outside the jurisdiction (or `refused`, with the refusal to answer: the
 * administrator's message for residents when there is one).
 */
export async function routeNewRequest(
  router: Router,
  jurisdictionId: string,
  service: { id: number; agencyResponsible: string | null },
  lat: number | null,
  long: number | null,
): Promise<{ refused: Refusal } | { assignedDepartment: number | null; busAppId: number | null; agencyResponsible: string | null; referral: string | null }> {
  const outside = await router.outside(jurisdictionId, lat, long);
  if (outside?.action === 'refuse') {
    const { fr, en } = outside.message;
    return { refused: { reason: 'location.outside', field: 'location', values: { town: outside.jurisdictionName, message_fr: fr ?? '', message_en: en ?? '' } } };
  }
  const route = await router.route(jurisdictionId, service.id, lat, long);
  return {
    assignedDepartment: route?.departmentId ?? null,
    busAppId: route?.busAppId ?? null,
    agencyResponsible: route?.agency ?? service.agencyResponsible,
    referral: outside ? outside.note ?? `Outside ${outside.jurisdictionName}: referred to the competent authority.` : null,
  };
}

/** A department as the routing page lists and writes it. */
export interface Department {
  name: string;
  agency: string | null;
  /** Its zone as GeoJSON text, or null for anywhere. */
  zone: string | null;
  busAppId: number | null;
}

/** What the routing page writes of a jurisdiction's area: the place's bounds and what happens outside. */
export interface AreaSettings {
  /** The area as GeoJSON text, or null for none. */
  area: string | null;
  outside: 'refuse' | 'refer';
  referNote: string | null;
  message: OutsideMessage;
}

export type RoutingStore = ReturnType<typeof createRoutingStore>;

/**
 * The routing page's reads and writes (admin/routing.routes.ts): a jurisdiction's area and its settings
 * for places outside it, its departments, and its ordered rules. No trigger on these tables.
 */
export function createRoutingStore(db: Queryable) {
  return {
    async jurisdiction(id: string) {
      return db.one<{ service_area: string | null; settings: string }>('SELECT service_area, settings FROM jurisdictions WHERE id = ?', [id]);
    },
    /**
     * Sets the area and replaces what happens outside it. The settings are read and written back whole,
     * as SQLite's json_patch wrote them (keys kept in place, a null note left out, the message last),
     * the row locked meanwhile on PostgreSQL (SQLite's write transaction holds the file).
     */
    setArea: (id: string, s: AreaSettings) =>
      db.transaction(async (tx) => {
        const lock = tx.kind === 'postgres' ? ' FOR UPDATE' : '';
        const row = await tx.one<{ settings: string }>(`SELECT settings FROM jurisdictions WHERE id = ?${lock}`, [id]);
        if (!row) return;
        const settings = JSON.parse(row.settings) as Record<string, unknown>;
        settings.outside = s.outside;
        if (s.referNote === null) delete settings.refer_note;
        else settings.refer_note = s.referNote;
        delete settings.outside_message;
        settings.outside_message = s.message;
        await tx.run('UPDATE jurisdictions SET service_area = ?, settings = ? WHERE id = ?', [s.area, JSON.stringify(settings), id]);
      }),
    departments(jurisdictionId: string) {
      return db.query<{ id: number; name: string; agency: string | null; zone: string | null; bus_app_id: number | null }>(
        'SELECT id, name, agency, zone, bus_app_id FROM departments WHERE jurisdiction_id = ? ORDER BY name',
        [jurisdictionId],
      );
    },
    /**
     * Adds the departments, or changes those of the same name. A name known is updated first: PostgreSQL
     * spends a sequence number on every `INSERT … ON CONFLICT`, which would number the next department
     * otherwise than SQLite does.
     */
    saveDepartments: (jurisdictionId: string, departments: Department[]) =>
      db.transaction(async (tx) => {
        for (const d of departments) {
          const changed = await tx.run(
            'UPDATE departments SET agency = ?, zone = ?, bus_app_id = ? WHERE jurisdiction_id = ? AND name = ?',
            [d.agency, d.zone, d.busAppId, jurisdictionId, d.name],
          );
          if (changed.changes > 0) continue;
          await tx.run(
            `INSERT INTO departments (jurisdiction_id, name, agency, zone, bus_app_id) VALUES (?, ?, ?, ?, ?)
             ON CONFLICT (jurisdiction_id, name) DO UPDATE SET agency = excluded.agency, zone = excluded.zone, bus_app_id = excluded.bus_app_id`,
            [jurisdictionId, d.name, d.agency, d.zone, d.busAppId],
          );
        }
      }),
    async isBusApp(jurisdictionId: string, id: number): Promise<boolean> {
      return (await db.one('SELECT id FROM bus_apps WHERE id = ? AND jurisdiction_id = ?', [id, jurisdictionId])) !== undefined;
    },
    rules(jurisdictionId: string) {
      return db.query<{ service_code: string | null; department: string }>(
        `SELECT s.code AS service_code, d.name AS department FROM routing_rules r LEFT JOIN services s ON s.id = r.service_id
         JOIN departments d ON d.id = r.department_id WHERE r.jurisdiction_id = ? ORDER BY r.position`,
        [jurisdictionId],
      );
    },
    /** Replaces the rules with these, in this order (`serviceId` null: any service). */
    replaceRules: (jurisdictionId: string, rules: { serviceId: number | null; departmentId: number }[]) =>
      db.transaction(async (tx) => {
        await tx.run('DELETE FROM routing_rules WHERE jurisdiction_id = ?', [jurisdictionId]);
        for (const [position, r] of rules.entries()) {
          await tx.run('INSERT INTO routing_rules (jurisdiction_id, service_id, department_id, position) VALUES (?, ?, ?, ?)', [jurisdictionId, r.serviceId, r.departmentId, position]);
        }
      }),
    async serviceId(jurisdictionId: string, code: string): Promise<number | undefined> {
      return (await db.one<{ id: number }>('SELECT id FROM services WHERE jurisdiction_id = ? AND code = ?', [jurisdictionId, code]))?.id;
    },
    async departmentId(jurisdictionId: string, name: string): Promise<number | undefined> {
      return (await db.one<{ id: number }>('SELECT id FROM departments WHERE jurisdiction_id = ? AND name = ?', [jurisdictionId, name]))?.id;
    },
  };
}
