import type { Db } from '../db/database.ts';
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
export function createRouter(db: Db) {
  const rules = db.prepare<[string], { service_id: number | null; id: number; agency: string | null; zone: string | null; bus_app_id: number | null }>(
    `SELECT r.service_id, d.id, d.agency, d.zone, d.bus_app_id FROM routing_rules r JOIN departments d ON d.id = r.department_id
     WHERE r.jurisdiction_id = ? ORDER BY r.position, r.id`,
  );
  const jurisdiction = db.prepare<[string], { name: string; service_area: string | null; settings: string }>(
    'SELECT name, service_area, settings FROM jurisdictions WHERE id = ?',
  );
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
    route(jurisdictionId: string, serviceId: number, lat: number | null, long: number | null): Route | null {
      const rule = rules.all(jurisdictionId).find((r) => (r.service_id === null || r.service_id === serviceId) && inside(r.zone, lat, long));
      return rule ? { departmentId: rule.id, agency: rule.agency, busAppId: rule.bus_app_id } : null;
    },
    /** The administrator's message for places outside the area, by language (none when not written). */
    outsideMessage(jurisdictionId: string): OutsideMessage {
      const j = jurisdiction.get(jurisdictionId);
      return j ? outsideSettings(j.settings).message : {};
    },
    /** Undefined when the place is in the jurisdiction's area (or it has none, or the place is unknown). */
    outside(jurisdictionId: string, lat: number | null, long: number | null): Outside | undefined {
      const j = jurisdiction.get(jurisdictionId);
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
export function routeNewRequest(
  router: Router,
  jurisdictionId: string,
  service: { id: number; agencyResponsible: string | null },
  lat: number | null,
  long: number | null,
): { refused: Refusal } | { assignedDepartment: number | null; busAppId: number | null; agencyResponsible: string | null; referral: string | null } {
  const outside = router.outside(jurisdictionId, lat, long);
  if (outside?.action === 'refuse') {
    const { fr, en } = outside.message;
    return { refused: { reason: 'location.outside', field: 'location', values: { town: outside.jurisdictionName, message_fr: fr ?? '', message_en: en ?? '' } } };
  }
  const route = router.route(jurisdictionId, service.id, lat, long);
  return {
    assignedDepartment: route?.departmentId ?? null,
    busAppId: route?.busAppId ?? null,
    agencyResponsible: route?.agency ?? service.agencyResponsible,
    referral: outside ? outside.note ?? `Outside ${outside.jurisdictionName}: referred to the competent authority.` : null,
  };
}
