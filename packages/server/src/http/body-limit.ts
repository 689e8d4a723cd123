import { AppError } from '@llmlab/core';
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { STATUS_OF } from './errors.js';

/**
 * Refuses bodies over `maxBytes` with 413. A declared Content-Length is checked from the header
 * alone, which leaves the request body to the Node server's direct read: touching the Request's
 * body stream here would build a web Request and ReadableStream for every call, the single
 * largest cost of a small ingest request. Chunked bodies are counted as they stream.
 */
export function limitBody(maxBytes: number): MiddlewareHandler {
  const tooLarge = new AppError('payload_too_large', `request body is larger than ${maxBytes / 1024 / 1024} MB; send at most 1,000 events per batch`).toBody();
  const streamed = bodyLimit({ maxSize: maxBytes, onError: (c) => c.json(tooLarge, STATUS_OF.payload_too_large) });
  return async (c, next) => {
    const method = c.req.method;
    if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS') return next();
    const length = c.req.header('content-length');
    if (length !== undefined && c.req.header('transfer-encoding') === undefined) {
      return Number(length) > maxBytes ? c.json(tooLarge, STATUS_OF.payload_too_large) : next();
    }
    return streamed(c, next);
  };
}
