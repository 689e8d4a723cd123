import type { Actor } from './auth/actor.js';
import type { Config } from './config/config.js';
import type { Db } from './db/database.js';

/** What every verb needs: the database, the settings and the clock. */
export interface AppContext {
  db: Db;
  config: Config;
  now(): number;
  log: Logger;
}

/** Where a request came from, for the audit log. */
export interface RequestOrigin {
  ip: string | null;
  userAgent: string | null;
}

/** An AppContext acting for one tenant. */
export interface TenantContext extends AppContext {
  actor: Actor;
  /** The HTTP request's client address and user agent, for the audit log; absent off HTTP (the scheduler). */
  origin?: RequestOrigin;
}

export interface Logger {
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

const LEVELS = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 } as const;

/** One JSON line per message on stderr, so logs are greppable and machine-readable. */
export function createLogger(level: keyof typeof LEVELS): Logger {
  const min = LEVELS[level];
  const write = (lvl: keyof typeof LEVELS, msg: string, fields?: Record<string, unknown>) => {
    if (LEVELS[lvl] < min) return;
    process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), level: lvl, msg, ...fields })}\n`);
  };
  return {
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
  };
}
