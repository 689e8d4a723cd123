import { describe, expect, it } from 'vitest';
import { cacheKeyOf, canonicalJson, decideCaching, nonDeterminism } from './cache-policy.js';

const headers = (h: Record<string, string> = {}) => new Headers(h);
const chat = (extra: Record<string, unknown> = {}) => ({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], ...extra });
const on = { enabled: true, ttl_seconds: 600 };
const off = { enabled: false, ttl_seconds: 3600 };
const ask = (json: Record<string, unknown> | undefined, h: Record<string, string> = {}, setting = on, path = '/v1/chat/completions', provider = 'openai') =>
  decideCaching({ provider, method: 'POST', path, json, headers: headers(h), setting });

describe('canonicalJson', () => {
  it('sorts keys at every level and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: 3 }, 'x'], c: { z: null, y: true } })).toBe('{"a":[{"c":3,"d":2},"x"],"b":1,"c":{"y":true,"z":null}}');
    expect(canonicalJson(JSON.parse('{ "model" : "m",\n "temperature": 0 }'))).toBe(canonicalJson({ temperature: 0, model: 'm' }));
  });
});

describe('decideCaching', () => {
  it('caches a deterministic call of a project that turned the cache on, for its TTL', () => {
    expect(ask(chat({ temperature: 0 }))).toEqual({ kind: 'use', ttlSeconds: 600, canonicalBody: canonicalJson(chat({ temperature: 0 })) });
    expect(ask({ model: 'text-embedding-3-small', input: 'hi' }, {}, on, '/v1/embeddings')).toMatchObject({ kind: 'use' });
    expect(ask({ model: 'claude-3-5-haiku-latest', max_tokens: 10, temperature: 0, messages: [] }, {}, on, '/v1/messages', 'anthropic')).toMatchObject({ kind: 'use' });
  });

  it('leaves the call alone when nobody asked: no cache header at all', () => {
    expect(ask(chat({ temperature: 0 }), {}, off)).toEqual({ kind: 'off' });
    expect(decideCaching({ provider: 'openai', method: 'POST', path: '/v1/chat/completions', json: chat({ temperature: 0 }), headers: headers(), setting: undefined })).toEqual({ kind: 'off' });
    expect(ask(chat({ temperature: 0 }), { 'x-llmlab-cache': 'false' })).toEqual({ kind: 'off' });
    // The project setting leaves endpoints that are never cached alone (listing models, files).
    expect(decideCaching({ provider: 'openai', method: 'GET', path: '/v1/models', json: undefined, headers: headers(), setting: on })).toEqual({ kind: 'off' });
    expect(ask({ model: 'gpt-4o', purpose: 'batch' }, {}, on, '/v1/files')).toEqual({ kind: 'off' });
  });

  it('bypasses sampled calls for the project setting: temperature unset (default 1) or above 0, n above 1', () => {
    expect(ask(chat())).toEqual({ kind: 'bypass', reason: 'temperature' });
    expect(ask(chat({ temperature: 0.7 }))).toEqual({ kind: 'bypass', reason: 'temperature' });
    expect(ask(chat({ temperature: 0, n: 3 }))).toEqual({ kind: 'bypass', reason: 'n' });
    expect(ask({ model: 'claude-3-5-haiku-latest', max_tokens: 10, messages: [] }, {}, on, '/v1/messages', 'anthropic')).toEqual({ kind: 'bypass', reason: 'temperature' });
    expect(nonDeterminism('/v1/responses', { model: 'o3', input: 'hi' })).toBe('temperature');
  });

  it('caches a sampled call when the request itself asks, with its own TTL', () => {
    expect(ask(chat({ temperature: 1, n: 2 }), { 'x-llmlab-cache': 'true', 'x-llmlab-cache-ttl': '60' }, off)).toMatchObject({ kind: 'use', ttlSeconds: 60 });
    expect(ask(chat(), { 'x-llmlab-cache': 'true' }, off)).toMatchObject({ kind: 'use', ttlSeconds: 3600 });
  });

  it('never caches what a replay cannot honour, even when asked', () => {
    const asked = { 'x-llmlab-cache': 'true' };
    expect(ask(chat({ stream: true, stream_options: { include_usage: true, include_obfuscation: false } }), asked)).toMatchObject({ kind: 'use' });
    expect(ask(chat({ stream: true, stream_options: { continuous_usage_stats: true } }), asked)).toEqual({ kind: 'bypass', reason: 'stream_options' });
    expect(ask({ model: 'gpt-4o', input: 'hi', background: true }, asked, on, '/v1/responses')).toEqual({ kind: 'bypass', reason: 'stateful' });
    expect(ask({ model: 'gpt-4o', input: 'hi', conversation: 'conv_1' }, asked, on, '/v1/responses')).toEqual({ kind: 'bypass', reason: 'stateful' });
    expect(ask({ model: 'gpt-4o', purpose: 'batch' }, asked, on, '/v1/files')).toEqual({ kind: 'bypass', reason: 'endpoint' });
    expect(ask({ model: 'claude-3-5-haiku-latest', messages: [] }, asked, on, '/v1/messages/count_tokens', 'anthropic')).toEqual({ kind: 'bypass', reason: 'endpoint' });
    expect(ask(undefined, asked)).toEqual({ kind: 'bypass', reason: 'body' });
    expect(decideCaching({ provider: 'openai', method: 'GET', path: '/v1/chat/completions', json: undefined, headers: headers(asked), setting: on })).toEqual({ kind: 'bypass', reason: 'endpoint' });
  });

  it('refuses unreadable cache headers', () => {
    expect(ask(chat(), { 'x-llmlab-cache': 'maybe' })).toEqual({ kind: 'invalid', message: 'x-llmlab-cache must be true or false' });
    for (const ttl of ['0', '-5', '1.5', 'soon', '604801']) {
      expect(ask(chat({ temperature: 0 }), { 'x-llmlab-cache-ttl': ttl })).toEqual({ kind: 'invalid', message: 'x-llmlab-cache-ttl must be a whole number of seconds from 1 to 604800' });
    }
  });
});

describe('cacheKeyOf', () => {
  it('differs by provider, path, query, answer-shaping header and body, and not by key order', () => {
    const body = canonicalJson(chat({ temperature: 0 }));
    const base = cacheKeyOf('openai', 'POST', '/v1/chat/completions', headers(), body);
    expect(base).toMatch(/^[0-9a-f]{64}$/);
    expect(cacheKeyOf('openai', 'POST', '/v1/chat/completions', headers({ 'x-llmlab-feature': 'a', authorization: 'Bearer sk-other' }), canonicalJson({ temperature: 0, messages: [{ content: 'hi', role: 'user' }], model: 'gpt-4o-mini' }))).toBe(base);
    const others = [
      cacheKeyOf('anthropic', 'POST', '/v1/chat/completions', headers(), body),
      cacheKeyOf('openai', 'POST', '/v1/completions', headers(), body),
      cacheKeyOf('openai', 'POST', '/v1/chat/completions?api-version=2', headers(), body),
      cacheKeyOf('openai', 'POST', '/v1/chat/completions', headers({ 'openai-project': 'proj_b' }), body),
      cacheKeyOf('openai', 'POST', '/v1/chat/completions', headers(), canonicalJson(chat({ temperature: 0, max_tokens: 5 }))),
    ];
    expect(new Set([base, ...others]).size).toBe(6);
  });
});
