import { hash } from 'node:crypto';
import { CACHE_TTL_BOUNDS, type ResponseCacheSetting } from '@llmlab/core';
import type { RequestHeaders } from '../proxy/headers.js';

type Obj = Record<string, unknown>;

/** The endpoints whose answers are cached: each answers a body with its usage, and repeating the call changes nothing upstream. */
const CACHEABLE_PATHS: Record<string, RegExp> = {
  openai: /\/(chat\/completions|completions|responses|embeddings)$/,
  anthropic: /\/messages$/,
};

/** stream_options a replayed stream honours: the stored stream always carries the usage, stripped again when the proxy asked for it. */
const REPLAYABLE_STREAM_OPTIONS = new Set(['include_usage', 'include_obfuscation']);

/** Request headers that change what the provider answers, so they are part of the key. */
const ANSWER_SHAPING_HEADERS = ['anthropic-version', 'anthropic-beta', 'openai-beta', 'openai-organization', 'openai-project'];

/** What the response cache does with a proxied call. */
export type CacheDecision =
  /** Caching is not asked for: the answer carries no cache header. */
  | { kind: 'off' }
  /** Asked for (per request or for the project), but this call cannot be cached: BYPASS. */
  | { kind: 'bypass'; reason: string }
  | { kind: 'use'; ttlSeconds: number; canonicalBody: string }
  /** The cache headers cannot be read: 400. */
  | { kind: 'invalid'; message: string };

export interface CacheQuestion {
  /** The provider's answer format (`openai` for Azure and the OpenAI-compatible hosts too): Gemini's and Cohere's calls are not cached. */
  provider: string;
  method: string;
  /** The path after /proxy/<provider>, without the query. */
  path: string;
  /** The body as parsed (undefined when it is not a JSON object); read only once caching is asked for. */
  readonly json: Obj | undefined;
  headers: RequestHeaders;
  /** The project's setting; undefined when the project is not known (database unreachable). */
  setting: ResponseCacheSetting | undefined;
}

/**
 * Whether a call may be answered from the cache, and for how long its answer is kept. Per request,
 * `x-llmlab-cache: true` caches the call even when it is not deterministic (the caller accepts a
 * repeated answer) and `false` turns the project's cache off for it; `x-llmlab-cache-ttl` sets
 * the seconds an answer is served. The project setting caches deterministic calls only: see
 * nonDeterminism.
 * @example decideCaching({ provider: 'openai', method: 'POST', path: '/v1/embeddings', json: { model: 'text-embedding-3-small', input: 'hi' }, headers, setting: { enabled: true, ttl_seconds: 600 } })
 * // { kind: 'use', ttlSeconds: 600, canonicalBody: '{"input":"hi","model":"text-embedding-3-small"}' }
 */
export function decideCaching(q: CacheQuestion): CacheDecision {
  const asked = q.headers.get('x-llmlab-cache')?.trim().toLowerCase();
  if (asked !== undefined && !['true', '1', 'yes', 'false', '0', 'no'].includes(asked)) return { kind: 'invalid', message: 'x-llmlab-cache must be true or false' };
  const perRequest = asked === 'true' || asked === '1' || asked === 'yes';
  if (asked !== undefined && !perRequest) return { kind: 'off' };
  if (!perRequest && !q.setting?.enabled) return { kind: 'off' };
  // The project setting concerns the endpoints that answer a model's work; others (listing models, files) are left alone.
  const endpoint = q.method === 'POST' && CACHEABLE_PATHS[q.provider]?.test(q.path) === true;
  if (!endpoint) return perRequest ? { kind: 'bypass', reason: 'endpoint' } : { kind: 'off' };
  const ttl = ttlOf(q.headers.get('x-llmlab-cache-ttl'), q.setting);
  if (typeof ttl === 'string') return { kind: 'invalid', message: ttl };
  const reason = notCacheable(q.json) ?? (perRequest ? undefined : nonDeterminism(q.path, q.json as Obj));
  if (reason) return { kind: 'bypass', reason };
  return { kind: 'use', ttlSeconds: ttl, canonicalBody: canonicalJson(q.json) };
}

/** The seconds to keep and serve an answer, or the error message of a bad header. */
function ttlOf(header: string | null, setting: ResponseCacheSetting | undefined): number | string {
  if (header === null) return setting?.ttl_seconds ?? CACHE_TTL_BOUNDS.default;
  const ttl = Number(header.trim());
  if (!/^\d+$/.test(header.trim()) || ttl < CACHE_TTL_BOUNDS.min || ttl > CACHE_TTL_BOUNDS.max) {
    return `x-llmlab-cache-ttl must be a whole number of seconds from ${CACHE_TTL_BOUNDS.min} to ${CACHE_TTL_BOUNDS.max}`;
  }
  return ttl;
}

/** Why no answer to a call with this body can be reused, whoever asks; undefined when one can. */
function notCacheable(json: Obj | undefined): string | undefined {
  if (!json || typeof json.model !== 'string' || json.model === '') return 'body';
  // Answers that depend on state kept by the provider, which the body does not show, or that come later.
  if (json.background === true || json.conversation !== undefined) return 'stateful';
  const options = json.stream_options;
  if (options !== undefined && options !== null) {
    if (typeof options !== 'object' || Array.isArray(options)) return 'stream_options';
    if (Object.keys(options).some((k) => !REPLAYABLE_STREAM_OPTIONS.has(k))) return 'stream_options';
  }
  return undefined;
}

/**
 * Why a call may answer differently each time: sampling (a temperature above 0, or none given,
 * where every provider's default is 1: OpenAI chat, completions and responses, Anthropic
 * messages) or several choices (`n` other than 1). Embeddings are deterministic.
 * @example nonDeterminism('/v1/chat/completions', { model: 'gpt-4o-mini', messages: [] }) // 'temperature'
 * @example nonDeterminism('/v1/chat/completions', { model: 'gpt-4o-mini', messages: [], temperature: 0 }) // undefined
 */
export function nonDeterminism(path: string, json: Obj): string | undefined {
  if (path.endsWith('/embeddings')) return undefined;
  if (json.temperature !== 0) return 'temperature';
  if (json.n !== undefined && json.n !== 1) return 'n';
  return undefined;
}

/**
 * JSON with object keys sorted at every level, so that bodies that differ only in key order and
 * spacing share one cache entry.
 * @example canonicalJson({ b: 1, a: [{ d: 2, c: 3 }] }) // '{"a":[{"c":3,"d":2}],"b":1}'
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const o = value as Obj;
    return `{${Object.keys(o)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * The cache key of a call within its project: SHA-256 (hex) of the provider, method, path with
 * its query, the headers that shape the answer, and the canonical body. The project is the other
 * half of the table's key, so no answer is ever served to another project.
 */
export function cacheKeyOf(provider: string, method: string, target: string, headers: RequestHeaders, canonicalBody: string): string {
  const shaping = ANSWER_SHAPING_HEADERS.map((name) => `${name}:${headers.get(name) ?? ''}`).join('\n');
  return hash('sha256', `${provider}\n${method}\n${target}\n${shaping}\n${canonicalBody}`, 'hex');
}

/**
 * A proxied call the cache did not answer, and what its answer carries in `x-llmlab-cache`:
 * MISS (looked up, not found: a 2xx answer is stored under `key` for `ttlMs`) or BYPASS (caching
 * was asked for, but this call cannot be cached, or the cache could not be read).
 */
export type CachePlan = { status: 'MISS'; key: string; ttlMs: number } | { status: 'BYPASS' };
