import { serve as listen } from '@hono/node-server';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from '../app.ts';
import type { Config } from '../config.ts';
import type { Engine } from '../db/engine.ts';
import { createReadiness } from '../http/readiness.ts';
import type { Logger } from '../logger.ts';
import { createApiClientsStore } from '../keys/api-clients.store.ts';
import { DEMO_API_KEY } from '../keys/demo-key.ts';
import { startBackground } from './background.ts';

/** Whether a public URL is this machine only (a demo's place). */
const isLocal = (url: string) => /^(localhost|.+\.localhost|127(\.\d{1,3}){3}|\[::1\])$/.test(new URL(url).hostname);

/**
 * Serves the app until SIGTERM or SIGINT, then drains: `/health` answers 503 `draining` while everything
 * else is still served for `drainSeconds` (a second signal cuts it short), so that a load balancer takes
 * the node out first. Then it stops taking connections, lets requests in flight finish (at most
 * `shutdownTimeoutMs`), lets background work in progress finish, closes the store and resolves.
 */
export async function serve(config: Config, engine: Engine, logger: Logger): Promise<void> {
  if (config.demo && !isLocal(config.publicUrl) && (await createApiClientsStore(engine, { demo: true }).verify(DEMO_API_KEY))) {
    logger.warn('the demo key is enabled on a public address', {
      publicUrl: config.publicUrl, key: DEMO_API_KEY, fix: 'a real deployment runs serve without --seed-demo and GEOREPORT_DEMO, with keys made by georeport keys create',
    });
  }
  const readiness = createReadiness(engine);
  const app = createApp({ config, engine, logger, readiness });
  const background = startBackground(config, engine, logger);
  const stopTimers = () => background.stop();

  return new Promise((resolve) => {
    const server = listen({ fetch: app.fetch, port: config.port, hostname: config.host }, (info: AddressInfo) => {
      logger.info('listening', { url: `http://${info.address}:${info.port}/`, publicUrl: config.publicUrl, store: engine.kind === 'postgres' ? 'postgresql' : config.dbFile });
    });
    // Answers still to be written when the stop begins go out with `Connection: close`, so a keep-alive
    // client cannot hold the process open for the keep-alive timeout once its last answer is sent.
    let stopping = false;
    const unanswered = new Set<ServerResponse>();
    (server as Server).prependListener('request', (_req: IncomingMessage, res: ServerResponse) => {
      if (stopping) res.setHeader('Connection', 'close');
      unanswered.add(res);
      res.once('close', () => unanswered.delete(res));
    });
    server.on('error', (err) => {
      logger.error('cannot listen', { error: err.message });
      process.exitCode = 1;
      void stopTimers().then(() => resolve());
    });
    let endDrain: (() => void) | undefined;
    const stop = async (signal: string) => {
      if (stopping) return endDrain?.();
      stopping = true;
      readiness.drain();
      // Answers carry `Connection: close` from now on: the balancer's kept-alive connections end one by
      // one while the node drains, instead of racing a request against the close.
      for (const res of unanswered) if (!res.headersSent) res.setHeader('Connection', 'close');
      // Background work stops first: on several nodes, another one takes it over while this one drains.
      const timersStopped = stopTimers();
      if (config.drainSeconds > 0) {
        logger.info('draining', { signal, seconds: config.drainSeconds });
        await new Promise<void>((done) => {
          const timer = setTimeout(done, config.drainSeconds * 1000);
          endDrain = () => {
            clearTimeout(timer);
            done();
          };
        });
        endDrain = undefined;
      }
      logger.info('shutting down', { signal });
      const force = setTimeout(() => {
        if ('closeAllConnections' in server) server.closeAllConnections();
      }, config.shutdownTimeoutMs);
      server.close(() => {
        clearTimeout(force);
        void timersStopped.then(() => {
          void engine.close().then(() => {
            logger.info('stopped');
            resolve();
          });
        });
      });
      if ('closeIdleConnections' in server) server.closeIdleConnections();
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  });
}
