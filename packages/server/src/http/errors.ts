import { AppError, type ErrorCode } from '@llmlab/core';
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { ZodError } from 'zod';
import type { Logger } from '../context.js';

/** The one place an error code becomes an HTTP status. */
export const STATUS_OF: Record<ErrorCode, ContentfulStatusCode> = {
  bad_request: 400,
  validation_failed: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  // A single-use link (an invitation) that was used, revoked or expired.
  gone: 410,
  payload_too_large: 413,
  rate_limited: 429,
  budget_exceeded: 429,
  unavailable: 503,
  // Something LLMLab called on the user's behalf (an alert channel's target) failed.
  bad_gateway: 502,
  // Something LLMLab called on the user's behalf (a provider, through the proxy) did not answer in time.
  gateway_timeout: 504,
  internal: 500,
};

/** A zod failure as our validation error, naming the first field in the message. */
export function fromZodError(err: ZodError, prefix = ''): AppError {
  const details = err.issues.map((i) => ({ path: [prefix, ...i.path.map(String)].filter(Boolean).join('.'), message: i.message }));
  const first = details[0];
  return new AppError('validation_failed', first.path ? `${first.path}: ${first.message}` : first.message, details);
}

export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof ZodError) return fromZodError(err);
  if (err instanceof HTTPException) {
    if (err.status === 413) return new AppError('payload_too_large', 'request body is too large');
    if (err.status === 401) return new AppError('unauthorized', err.message || 'unauthorized');
    const message = /json/i.test(err.message) ? 'request body is not valid JSON' : err.message || 'bad request';
    return new AppError(err.status >= 500 ? 'internal' : 'bad_request', message);
  }
  if (err instanceof SyntaxError) return new AppError('bad_request', 'request body is not valid JSON');
  return new AppError('internal', 'internal error; the server log has the details');
}

export function errorHandler(log: Logger) {
  return (err: Error, c: Context) => {
    const appError = toAppError(err);
    if (appError.code === 'internal') log.error('request failed', { path: c.req.path, method: c.req.method, error: String(err?.stack ?? err) });
    const retryAfter = (appError.details as { retry_after?: number } | undefined)?.retry_after;
    if (retryAfter) c.header('Retry-After', String(retryAfter));
    return c.json(appError.toBody(), STATUS_OF[appError.code]);
  };
}
