import { readFileSync } from 'node:fs';
import { importCatalogue, parseCatalogue } from '../catalogue/catalogue.import.ts';
import { createCatalogueStore } from '../catalogue/catalogue.store.ts';
import type { Db } from '../db/database.ts';
import { createApiClientsStore } from '../keys/api-clients.store.ts';
import { DEMO_API_KEY } from '../keys/demo-key.ts';
import { createRequestsStore } from '../requests/requests.store.ts';
import { draftRequest } from '../requests/requests.types.ts';

const DEMO_DIR = new URL('../../demo/city/', import.meta.url);

interface DemoRequest {
  service: string;
  days_ago: number;
  lat: number;
  long: number;
  address: string;
  description: string;
  attributes?: Record<string, string[]>;
}

/**
 * Seeds the demo city (catalogue, a public demo key, a few published requests) unless its jurisdiction
 * already exists. Returns whether anything was written.
 */
export function seedDemo(db: Db, nowMs: number): { seeded: boolean; jurisdictionId: string } {
  const catalogue = parseCatalogue(JSON.parse(readFileSync(new URL('catalogue.json', DEMO_DIR), 'utf8')));
  const jurisdictionId = catalogue.jurisdiction.id;
  const store = createCatalogueStore(db);
  if (store.jurisdiction(jurisdictionId)) return { seeded: false, jurisdictionId };

  const now = Math.floor(nowMs / 1000);
  const demo = JSON.parse(readFileSync(new URL('requests.json', DEMO_DIR), 'utf8')) as { requests: DemoRequest[] };
  const requests = createRequestsStore(db);
  db.transaction(() => {
    importCatalogue(db, catalogue, now);
    createApiClientsStore(db).create({
      name: 'Demo website widget', jurisdictionId, rateLimitPerMinute: null, scopes: ['report'], now, actor: 'seed', key: DEMO_API_KEY,
    });
    demo.requests.forEach((r, i) => {
      const service = store.service(jurisdictionId, r.service);
      if (!service) throw new Error(`demo request ${i} names unknown service ${r.service}`);
      requests.create(
        draftRequest({
          jurisdictionId, serviceId: service.id, description: r.description, lat: r.lat, long: r.long, address: r.address,
          agencyResponsible: service.agencyResponsible, serviceNotice: service.serviceNotice, channel: 'web',
          attributes: Object.entries(r.attributes ?? {}).map(([code, values]) => ({ code, values })),
          now: now - r.days_ago * 86_400 - (i % 7) * 3_600,
        }),
      );
    });
  })();
  return { seeded: true, jurisdictionId };
}
