import { readFileSync } from 'node:fs';
import { importCatalogue, parseCatalogue } from '../catalogue/catalogue.import.ts';
import { createCatalogueStore } from '../catalogue/catalogue.store.ts';
import { createTemplatesStore } from '../catalogue/templates.store.ts';
import type { Queryable } from '../db/engine.ts';
import { createApiClientsStore } from '../keys/api-clients.store.ts';
import { DEMO_API_KEY } from '../keys/demo-key.ts';
import { createRequestsStore } from '../requests/requests.store.ts';
import { DETAILED_STATUSES, draftRequest, type DetailedStatus } from '../requests/requests.types.ts';
import { createUpdatesStore } from '../requests/updates.store.ts';
import { dueAt } from '../catalogue/catalogue.types.ts';

const DEMO_DIR = new URL('../../demo/city/', import.meta.url);

/** What the city did about a demo request, `days_ago` days before the seeding (a new status, a note, or both). */
interface DemoUpdate {
  days_ago: number;
  status?: DetailedStatus;
  note?: string;
  /** False for a note staff keep to themselves. Default true. */
  public?: boolean;
  /** The date announced with it (`expected_datetime`), in days from the seeding. */
  expected_in_days?: number;
}

interface DemoRequest {
  service: string;
  days_ago: number;
  lat: number;
  long: number;
  address: string;
  description: string;
  attributes?: Record<string, string[]>;
  updates?: DemoUpdate[];
}

/** Texts by language (`{"fr": …, "en": …}`), per status. */
type TemplateTexts = Partial<Record<DetailedStatus, Record<string, string> | null>>;

/** The demo's response templates: `every` for each category, a category's own (or null: none) instead. */
interface DemoTemplates {
  every: TemplateTexts;
  services: Record<string, TemplateTexts>;
}

/** Staff act a couple of hours into the day they act on, so a same-day update follows the report. */
const UPDATE_DELAY = 2 * 3_600;

/**
 * Seeds the demo city (catalogue, its response templates in French and English, a public demo key,
 * published requests over the last three months)
 * unless its jurisdiction already exists. Returns whether anything was written. What the city did about
 * each request goes through the update path staff use (timeline, status, `updated_at` and counts as
 * theirs would be), so the demo map shows requests received, planned, in progress and fixed. Everything is
 * written in one transaction of `db`.
 */
export async function seedDemo(db: Queryable, nowMs: number): Promise<{ seeded: boolean; jurisdictionId: string }> {
  const catalogue = parseCatalogue(demoFile('catalogue.json'));
  const jurisdictionId = catalogue.jurisdiction.id;
  if (await createCatalogueStore(db).jurisdiction(jurisdictionId)) return { seeded: false, jurisdictionId };

  const now = Math.floor(nowMs / 1000);
  const demo = demoFile<{ requests: DemoRequest[] }>('requests.json');
  await db.transaction(async (tx) => {
    await seedDemoCatalogue(tx, now, catalogue);
    const services = new Map((await createCatalogueStore(tx).services(jurisdictionId)).map((s) => [s.code, s]));
    const updates = createUpdatesStore(tx);
    const requests = createRequestsStore(tx);
    await createApiClientsStore(tx).create({
      name: 'Demo website widget', jurisdictionId, rateLimitPerMinute: null, scopes: ['report'], now, actor: 'seed', key: DEMO_API_KEY,
    });
    for (const [i, r] of demo.requests.entries()) {
      const service = services.get(r.service);
      if (!service) throw new Error(`demo request ${i} names unknown service ${r.service}`);
      const filed = now - r.days_ago * 86_400 - (i % 7) * 3_600;
      const requestId = await requests.create(
        draftRequest({
          jurisdictionId, serviceId: service.id, description: r.description, lat: r.lat, long: r.long, address: r.address,
          agencyResponsible: service.agencyResponsible, serviceNotice: service.serviceNotice, channel: 'web',
          attributes: Object.entries(r.attributes ?? {}).map(([code, values]) => ({ code, values })),
          // Due as a filing of its category would be (its SLA hours): the inbox shows late and on-time
          // requests, and the statistics have an SLA to meet.
          expectedAt: dueAt(service, filed), now: filed,
        }),
      );
      for (const [j, u] of (r.updates ?? []).entries()) {
        const at = filed + (r.days_ago - u.days_ago) * 86_400 + UPDATE_DELAY;
        if (at > now || u.days_ago > r.days_ago) throw new Error(`demo request ${i}, update ${j}: dated before the report or after today`);
        if (u.status !== undefined && !DETAILED_STATUSES.includes(u.status)) throw new Error(`demo request ${i}, update ${j}: unknown status ${u.status}`);
        await updates.add({
          jurisdictionId, requestId, detailedStatus: u.status ?? null, note: u.note ?? null, public: u.public ?? true, actor: 'seed', updateId: null,
          expectedAt: u.expected_in_days === undefined ? null : now + u.expected_in_days * 86_400, now: at,
        });
      }
    }
  });
  return { seeded: true, jurisdictionId };
}

/**
 * The demo city's catalogue and its response templates in French and English, in one transaction (a
 * savepoint within seedDemo's): the part of the seed every store of either engine can write already.
 */
export async function seedDemoCatalogue(db: Queryable, now: number, catalogue = parseCatalogue(demoFile('catalogue.json'))): Promise<void> {
  await db.transaction(async (tx) => {
    await importCatalogue(tx, catalogue, now);
    const codes = catalogue.services.map((s) => s.code);
    await seedTemplates(createTemplatesStore(tx), catalogue.jurisdiction.id, codes, demoFile<DemoTemplates>('templates.json'));
  });
}

const demoFile = <T = unknown>(name: string): T => JSON.parse(readFileSync(new URL(name, DEMO_DIR), 'utf8')) as T;

/** Writes the demo's response templates for every category of the catalogue, in each language they are given in. */
async function seedTemplates(store: ReturnType<typeof createTemplatesStore>, jurisdictionId: string, codes: string[], demo: DemoTemplates) {
  for (const code of Object.keys(demo.services)) if (!codes.includes(code)) throw new Error(`demo templates name unknown service ${code}`);
  for (const code of codes) {
    const own = demo.services[code] ?? {};
    for (const status of new Set([...Object.keys(demo.every), ...Object.keys(own)]) as Set<DetailedStatus>) {
      if (!DETAILED_STATUSES.includes(status)) throw new Error(`demo templates name unknown status ${status}`);
      const texts = status in own ? own[status] : demo.every[status];
      for (const [locale, text] of Object.entries(texts ?? {})) await store.save(jurisdictionId, code, status, locale, text);
    }
  }
}
