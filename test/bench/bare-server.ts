/**
 * The baseline: a bare Hono app on @hono/node-server answering a tiny JSON on one GET route, in its own
 * process like the real server. Usage: `node --import tsx test/bench/bare-server.ts PORT`.
 */
import { serve } from '@hono/node-server';
import { Hono } from 'hono';

const app = new Hono();
app.get('/', (c) => c.json({ ok: true }));

const server = serve({ fetch: app.fetch, port: Number(process.argv[2]), hostname: '127.0.0.1' });
process.once('SIGTERM', () => server.close(() => process.exit(0)));
