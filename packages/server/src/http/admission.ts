import { AppError } from '@llmlab/core';
import type { MiddlewareHandler } from 'hono';
import { STATUS_OF } from './errors.js';

/** The write paths that can arrive faster than the database takes them. */
function isAdmitted(method: string, path: string): boolean {
  if (path.startsWith('/proxy/')) return true;
  if (method === 'GET' || method === 'HEAD') return false;
  return path.startsWith('/api/events/') || path === '/v1/traces';
}

/**
 * Load shedding: at most `limit` ingest and proxy requests are handled at once; the next one is
 * answered 503 with Retry-After at once, before its body is read, so an overload costs a few
 * bytes per refused request instead of a queue that grows until memory runs out. Health checks,
 * reads and the dashboard are never refused. The SDK and the proxy's clients retry on 503.
 * A streamed proxy answer counts until its headers are sent; its upstream paces the rest.
 * One gate serves the Hono middleware and the gateway's Node entry alike.
 */
export class Admission {
  private inFlight = 0;
  /** The answer's body for a refused request. */
  readonly busyBody = new AppError('unavailable', 'server busy; retry after 1 s').toBody();

  constructor(private readonly limit: number) {}

  /** Takes a slot, or answers false when every slot is taken. */
  enter(): boolean {
    if (this.inFlight >= this.limit) return false;
    this.inFlight++;
    return true;
  }

  leave(): void {
    this.inFlight--;
  }
}

export function admission(gate: Admission): MiddlewareHandler {
  return async (c, next) => {
    if (!isAdmitted(c.req.method, c.req.path)) return next();
    if (!gate.enter()) {
      c.header('Retry-After', '1');
      return c.json(gate.busyBody, STATUS_OF.unavailable);
    }
    try {
      await next();
    } finally {
      gate.leave();
    }
  };
}
