import type { Db } from '../db/database.ts';
import type { DetailedStatus } from '../requests/requests.types.ts';

/** A response template: the text an agent starts from when a request of the service gets the status. */
export interface ResponseTemplate {
  service_code: string;
  detailed_status: DetailedStatus;
  locale: string;
  text: string;
}

export type TemplatesStore = ReturnType<typeof createTemplatesStore>;

/**
 * Response templates, one per service, status and language: the administrator writes them, the demo
 * seeds them, and a request's page offers the ones of its category in its language.
 */
export function createTemplatesStore(db: Db) {
  const all = db.prepare<[string], ResponseTemplate>(
    `SELECT s.code AS service_code, t.detailed_status, t.locale, t.text FROM response_templates t JOIN services s ON s.id = t.service_id
     WHERE s.jurisdiction_id = ? ORDER BY s.position, t.detailed_status, t.locale`,
  );
  const ofService = db.prepare<[number, string], ResponseTemplate>(
    `SELECT s.code AS service_code, t.detailed_status, t.locale, t.text FROM response_templates t JOIN services s ON s.id = t.service_id
     WHERE t.service_id = ? AND t.locale = ? ORDER BY t.detailed_status`,
  );
  // Any service of the town, offered or retired: a retired one's requests are still answered.
  const serviceId = db.prepare<[string, string], number>('SELECT id FROM services WHERE jurisdiction_id = ? AND code = ?').pluck();
  // A request's language: its reporter's, else its town's.
  const language = db.prepare<[number], { service_id: number; locale: string }>(
    `SELECT r.service_id, coalesce(p.locale, j.default_locale) AS locale FROM requests r JOIN jurisdictions j ON j.id = r.jurisdiction_id
     LEFT JOIN reporters p ON p.request_id = r.id WHERE r.id = ?`,
  );
  const upsert = db.prepare('INSERT INTO response_templates (service_id, detailed_status, locale, text) VALUES (?, ?, ?, ?) ON CONFLICT DO UPDATE SET text = excluded.text');
  const remove = db.prepare('DELETE FROM response_templates WHERE service_id = ? AND detailed_status = ? AND locale = ?');
  return {
    /** Every template of the jurisdiction, in the catalogue's order. */
    list: (jurisdictionId: string) => all.all(jurisdictionId),
    /**
     * What a request may be answered with: the templates of its category in its language (its reporter's,
     * else its town's), one per status that has one.
     */
    forRequest(requestId: number): { locale: string; templates: ResponseTemplate[] } | undefined {
      const r = language.get(requestId);
      return r && { locale: r.locale, templates: ofService.all(r.service_id, r.locale) };
    },
    /** Whether the jurisdiction has a service of this code (offered or retired). */
    hasService: (jurisdictionId: string, code: string) => serviceId.get(jurisdictionId, code) !== undefined,
    /** Writes the template of a service of the jurisdiction (an empty text removes it); false when there is no such service. */
    save(jurisdictionId: string, code: string, status: DetailedStatus, locale: string, text: string): boolean {
      const id = serviceId.get(jurisdictionId, code);
      if (id === undefined) return false;
      if (text === '') remove.run(id, status, locale);
      else upsert.run(id, status, locale, text);
      return true;
    },
  };
}
