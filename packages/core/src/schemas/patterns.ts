/**
 * The text patterns of the wire, in one place for the server's schemas, the ingest fast path and
 * the SDK's own checks. No imports: the SDK bundles this file alone.
 */

/** A client's idempotency key for an event. */
export const EVENT_ID_PATTERN = /^[A-Za-z0-9_.:-]{1,128}$/;
export const EVENT_ID_RULE = '1-128 characters of letters, digits, _ . : -';

/** A hash of the request's content, for cache-hit and duplicate analysis. */
export const REQUEST_HASH_PATTERN = /^[A-Za-z0-9_-]{8,128}$/;
export const REQUEST_HASH_RULE = '8-128 url-safe characters';
