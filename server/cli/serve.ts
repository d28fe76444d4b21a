import { serve as listen } from '@hono/node-server';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from '../app.ts';
import type { Config } from '../config.ts';
import type { Engine } from '../db/engine.ts';
import type { Logger } from '../logger.ts';
import { createApiClientsStore } from '../keys/api-clients.store.ts';
import { DEMO_API_KEY } from '../keys/demo-key.ts';
import { startBackground } from './background.ts';

/** Whether a public URL is this machine only (a demo's place). */
const isLocal = (url: string) => /^(localhost|.+\.localhost|127(\.\d{1,3}){3}|\[::1\])$/.test(new URL(url).hostname);

/**
 * Serves the app until SIGTERM or SIGINT, then stops taking connections, lets requests in flight finish
 * (at most `shutdownTimeoutMs`), lets background work in progress finish, closes the store and resolves.
 */
export async function serve(config: Config, engine: Engine, logger: Logger): Promise<void> {
  if (config.demo && !isLocal(config.publicUrl) && (await createApiClientsStore(engine, { demo: true }).verify(DEMO_API_KEY))) {
    logger.warn('the demo key is enabled on a public address', {
      publicUrl: config.publicUrl, key: DEMO_API_KEY, fix: 'a real deployment runs serve without --seed-demo and GEOREPORT_DEMO, with keys made by georeport keys create',
    });
  }
  const app = createApp({ config, engine, logger });
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
    const stop = (signal: string) => {
      logger.info('shutting down', { signal });
      stopping = true;
      for (const res of unanswered) if (!res.headersSent) res.setHeader('Connection', 'close');
      const timersStopped = stopTimers();
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
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
}
