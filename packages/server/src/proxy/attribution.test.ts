import { describe, expect, it } from 'vitest';
import { parseAttribution, parseTags } from './attribution.js';
import { inspectRequest, requestHashOf } from './inspect-request.js';
import { PROVIDERS } from './providers.js';

describe('attribution headers', () => {
  it('reads tags as a JSON object or as k=v pairs', () => {
    expect(parseTags('{"team":"search","tier":2,"beta":true}')).toEqual({ team: 'search', tier: '2', beta: 'true' });
    expect(parseTags(' team = search , tier=pro ')).toEqual({ team: 'search', tier: 'pro' });
  });

  it('names the header and the problem', () => {
    expect(() => parseTags('team')).toThrow('header x-llmlab-tags: "team" is not key=value');
    expect(() => parseTags('["a"]')).toThrow('header x-llmlab-tags must be a JSON object');
    expect(() => parseTags('{"a":{"b":1}}')).toThrow('tag "a" must be a string, number or boolean');
    expect(() => parseAttribution(new Headers({ 'x-llmlab-feature': 'f'.repeat(129) }))).toThrow('header x-llmlab-feature is longer than 128 characters');
    expect(() => parseAttribution(new Headers({ 'x-llmlab-session': 's'.repeat(201) }))).toThrow('header x-llmlab-session is longer than 200 characters');
  });

  it('reads feature, user and environment', () => {
    expect(parseAttribution(new Headers({ 'x-llmlab-feature': 'chat', 'x-llmlab-user': 'u-1', 'x-llmlab-environment': 'prod' }))).toEqual({ feature: 'chat', user_id: 'u-1', environment: 'prod', tags: undefined });
    expect(parseAttribution(new Headers({ 'x-llmlab-session': ' run-7 ' })).session_id).toBe('run-7');
  });
});

describe('inspectRequest', () => {
  const body = (o: unknown) => new TextEncoder().encode(JSON.stringify(o));

  it('estimates prompt tokens from text (not inline images) and output from max_tokens times n', () => {
    const r = inspectRequest(PROVIDERS.openai, 'POST', '/v1/chat/completions', body({ model: 'gpt-4o', n: 2, max_tokens: 50, messages: [{ role: 'user', content: [{ type: 'text', text: 'x'.repeat(396) }, { type: 'image_url', image_url: { url: `data:image/png;base64,${'A'.repeat(9999)}` } }] }] }));
    // "user" + "text" + 396 characters + "image_url" = 413 characters -> 104 tokens.
    expect(r).toMatchObject({ tracked: true, model: 'gpt-4o', inputTokensEstimate: 104, outputTokensEstimate: 100, usageInjected: false });
    expect(requestHashOf(r)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('asks OpenAI chat streams for usage only when the client did not', () => {
    const silent = inspectRequest(PROVIDERS.openai, 'POST', '/v1/chat/completions', body({ model: 'gpt-4o', stream: true, messages: [] }));
    expect(silent.usageInjected).toBe(true);
    expect(JSON.parse(new TextDecoder().decode(silent.forwardBody as Uint8Array)).stream_options).toEqual({ include_usage: true });
    const asked = body({ model: 'gpt-4o', stream: true, stream_options: { include_usage: true }, messages: [] });
    const r = inspectRequest(PROVIDERS.openai, 'POST', '/v1/chat/completions', asked);
    expect(r.usageInjected).toBe(false);
    expect(r.forwardBody).toBe(asked);
    expect(inspectRequest(PROVIDERS.anthropic, 'POST', '/v1/messages', body({ model: 'claude-3-haiku', stream: true, max_tokens: 5 })).usageInjected).toBe(false);
  });

  it('finds a stream however its key is spelled in JSON, and leaves other bodies as the client sent them', () => {
    const escaped = new TextEncoder().encode('{"model":"gpt-4o","\\u0073tream":true,"messages":[]}');
    const r = inspectRequest(PROVIDERS.openai, 'POST', '/v1/chat/completions', escaped);
    expect(r.usageInjected).toBe(true);
    expect(JSON.parse(new TextDecoder().decode(r.forwardBody as Uint8Array))).toEqual({ model: 'gpt-4o', stream: true, stream_options: { include_usage: true }, messages: [] });
    const plain = body({ model: 'gpt-4o', messages: [{ role: 'user', content: 'streams of consciousness' }] });
    const p = inspectRequest(PROVIDERS.openai, 'POST', '/v1/chat/completions', plain);
    expect(p.forwardBody).toBe(plain);
    expect(p).toMatchObject({ tracked: true, model: 'gpt-4o', stream: false, usageInjected: false, outputTokensEstimate: 4096 });
  });

  it('does not track calls without a model, token counting, or bodies that are not JSON', () => {
    expect(inspectRequest(PROVIDERS.openai, 'GET', '/v1/models', null).tracked).toBe(false);
    expect(inspectRequest(PROVIDERS.anthropic, 'POST', '/v1/messages/count_tokens', body({ model: 'claude-3-haiku' })).tracked).toBe(false);
    expect(inspectRequest(PROVIDERS.openai, 'POST', '/v1/audio/transcriptions', new TextEncoder().encode('--boundary')).tracked).toBe(false);
  });
});
