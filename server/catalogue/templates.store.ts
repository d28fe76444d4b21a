import type { Queryable } from '../db/engine.ts';
import type { DetailedStatus } from '../requests/requests.types.ts';

/** A response template: the text an agent starts from when a request of the service gets the status. */
export interface ResponseTemplate {
  service_code: string;
  detailed_status: DetailedStatus;
  locale: string;
  text: string;
}

export type TemplatesStore = ReturnType<typeof createTemplatesStore>;

const ALL = `SELECT s.code AS service_code, t.detailed_status, t.locale, t.text FROM response_templates t JOIN services s ON s.id = t.service_id
     WHERE s.jurisdiction_id = ? ORDER BY s.position, t.detailed_status, t.locale`;
const OF_SERVICE = `SELECT s.code AS service_code, t.detailed_status, t.locale, t.text FROM response_templates t JOIN services s ON s.id = t.service_id
     WHERE t.service_id = ? AND t.locale = ? ORDER BY t.detailed_status`;
// Any service of the town, offered or retired: a retired one's requests are still answered.
const SERVICE_ID = 'SELECT id FROM services WHERE jurisdiction_id = ? AND code = ?';
// A request's language: its reporter's, else its town's.
const LANGUAGE = `SELECT r.service_id, coalesce(p.locale, j.default_locale) AS locale FROM requests r JOIN jurisdictions j ON j.id = r.jurisdiction_id
     LEFT JOIN reporters p ON p.request_id = r.id WHERE r.id = ?`;
// PostgreSQL needs the conflict target named to update on conflict: the table's one unique key.
const UPSERT = `INSERT INTO response_templates (service_id, detailed_status, locale, text) VALUES (?, ?, ?, ?)
     ON CONFLICT (service_id, detailed_status, locale) DO UPDATE SET text = excluded.text`;
const REMOVE = 'DELETE FROM response_templates WHERE service_id = ? AND detailed_status = ? AND locale = ?';

/**
 * Response templates, one per service, status and language: the administrator writes them, the demo
 * seeds them, and a request's page offers the ones of its category in its language. No trigger concerns
 * the table on either engine.
 */
export function createTemplatesStore(db: Queryable) {
  const serviceId = async (jurisdictionId: string, code: string) => (await db.one<{ id: number }>(SERVICE_ID, [jurisdictionId, code]))?.id;
  return {
    /** Every template of the jurisdiction, in the catalogue's order. */
    list: (jurisdictionId: string) => db.query<ResponseTemplate>(ALL, [jurisdictionId]),
    /**
     * What a request may be answered with: the templates of its category in its language (its reporter's,
     * else its town's), one per status that has one.
     */
    async forRequest(requestId: number): Promise<{ locale: string; templates: ResponseTemplate[] } | undefined> {
      const r = await db.one<{ service_id: number; locale: string }>(LANGUAGE, [requestId]);
      return r && { locale: r.locale, templates: await db.query<ResponseTemplate>(OF_SERVICE, [r.service_id, r.locale]) };
    },
    /** Whether the jurisdiction has a service of this code (offered or retired). */
    hasService: async (jurisdictionId: string, code: string) => (await serviceId(jurisdictionId, code)) !== undefined,
    /** Writes the template of a service of the jurisdiction (an empty text removes it); false when there is no such service. */
    async save(jurisdictionId: string, code: string, status: DetailedStatus, locale: string, text: string): Promise<boolean> {
      const id = await serviceId(jurisdictionId, code);
      if (id === undefined) return false;
      if (text === '') await db.run(REMOVE, [id, status, locale]);
      else await db.run(UPSERT, [id, status, locale, text]);
      return true;
    },
  };
}
