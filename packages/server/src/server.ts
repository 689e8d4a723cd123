import { existsSync } from 'node:fs';
import { createServer, type RequestListener, type ServerOptions } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import { startAlertScheduler } from './alerts/scheduler.js';
import { startBillingScheduler } from './billing/scheduler.js';
import { createApp } from './app.js';
import { type Config, loadConfig } from './config/config.js';
import { type AppContext, createLogger } from './context.js';
import { migrateToLatest, openDatabase } from './db/database.js';
import { startRetentionScheduler } from './retention/scheduler.js';

const here = dirname(fileURLToPath(import.meta.url));

/**
 * The built dashboard: beside the bundle in the installed package (scripts/pack.mjs copies it
 * there), else the web package's build in a checkout, from src/ and dist/ alike.
 */
function defaultWebDist(): string | undefined {
  return [join(here, 'web'), resolve(here, '../../web/dist')].find((dist) => existsSync(join(dist, 'index.html')));
}

export interface RunningServer {
  url: string;
  port: number;
  ctx: AppContext;
  close(): Promise<void>;
}

/** Opens the database, applies migrations and listens. `npm start` and `llmlab serve` call this. */
export async function startServer(overrides: Partial<Config> & { env?: Record<string, string | undefined> } = {}): Promise<RunningServer> {
  const { env, ...rest } = overrides;
  const config = loadConfig(env, rest);
  const db = openDatabase(config.databaseUrl);
  await migrateToLatest(db);
  const log = createLogger(config.logLevel);
  const ctx: AppContext = { db, config, now: () => Date.now(), log };
  const app = createApp(ctx, { webDist: config.webDist ?? defaultWebDist() });
  // A port already taken rejects (with the EADDRINUSE error) instead of crashing the process.
  const server = await new Promise<ReturnType<typeof serve>>((ready, fail) => {
    // Proxied calls go from node:http straight to the gateway; everything else through Hono.
    const createEntryServer = (options: ServerOptions, honoListener: RequestListener) => createServer(options, (req, res) => app.nodeEntry(req, res) || honoListener(req, res));
    const s = serve({ fetch: app.fetch, port: config.port, hostname: config.host, createServer: createEntryServer as typeof createServer }, () => ready(s));
    s.once('error', (err) => db.close().finally(() => fail(err)));
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  log.info('LLMLab listening', { url, database: db.dialect });
  const alerts = startAlertScheduler(ctx);
  const retention = startRetentionScheduler(ctx);
  const billing = startBillingScheduler(ctx);
  return {
    url,
    port,
    ctx,
    close: async () => {
      alerts.stop();
      await retention.stop();
      await billing.stop();
      await new Promise<void>((done) => server.close(() => done()));
      await db.close();
    },
  };
}
