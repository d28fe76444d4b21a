import assert from 'node:assert/strict';
import { createBusAppsStore, type NewBusApp } from '../../server/bus/bus-apps.store.ts';
import type { TestApp } from './app.ts';

/** A bus app of the demo city (overrides for what a test is about), with its secret. */
export function busApp(t: TestApp, overrides: Partial<NewBusApp> = {}) {
  return createBusAppsStore(t.engine).create({
    jurisdictionId: 'ville.example', name: 'GRC', services: null, events: null, delivery: 'immediate', maxAttempts: 10,
    webhookUrl: null, ownerEmail: null, alertWebhook: null, now: Math.floor(t.clock.ms / 1000), actor: 'test', ...overrides,
  });
}

/** Calls the bus API as the app with `secret`. */
export async function bus(t: TestApp, secret: string | null, path: string, init: { method?: string; body?: unknown } = {}) {
  const res = await t.app.request(`http://localhost/bus/v1/${path}`, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers: { ...(secret ? { Authorization: `Bearer ${secret}` } : {}), 'Content-Type': 'application/json' },
    body: init.body === undefined ? undefined : typeof init.body === 'string' ? init.body : JSON.stringify(init.body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

/** Leases messages (asserting success): what `GET messages` gave. */
export async function lease(t: TestApp, secret: string, query = '') {
  const { status, body } = await bus(t, secret, `messages${query}`);
  assert.equal(status, 200, JSON.stringify(body));
  return body.messages as { id: string; type: string; attempt: number; request: Record<string, any>; event: Record<string, any> }[];
}

/** Acknowledges messages (asserting success). */
export async function ack(t: TestApp, secret: string, ids: string[]) {
  const { status, body } = await bus(t, secret, 'ack', { body: { ids } });
  assert.equal(status, 200, JSON.stringify(body));
  return body as { acked: string[]; unknown: string[] };
}
