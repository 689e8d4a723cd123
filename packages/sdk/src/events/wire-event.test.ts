import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors.js';
import { toWireEvent } from './wire-event.js';

describe('toWireEvent', () => {
  it('maps camelCase input to the wire event with a generated time-ordered id', () => {
    const e = toWireEvent({ provider: 'openai', model: 'gpt-4o', inputTokens: 1200, outputTokens: 300, cachedInputTokens: 1024, feature: 'search', timestamp: new Date(Date.UTC(2026, 0, 1)) });
    expect(e).toMatchObject({ provider: 'openai', model: 'gpt-4o', input_tokens: 1200, output_tokens: 300, cached_input_tokens: 1024, feature: 'search', timestamp: Date.UTC(2026, 0, 1) });
    expect(e.event_id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('sends usage_missing only for a call whose usage never arrived', () => {
    const base = { provider: 'openai', model: 'gpt-4o', inputTokens: 0, outputTokens: 0 };
    expect(toWireEvent({ ...base, usageMissing: true }).usage_missing).toBe(true);
    expect(toWireEvent({ ...base, usageMissing: false })).not.toHaveProperty('usage_missing');
    expect(() => toWireEvent({ ...base, usageMissing: 'yes' as unknown as boolean })).toThrow(/usageMissing must be true or false/);
  });

  it('refuses what the server would refuse, naming the field', () => {
    const base = { provider: 'openai', model: 'gpt-4o', inputTokens: 10, outputTokens: 5 };
    expect(() => toWireEvent({ ...base, inputTokens: -1 })).toThrow(/inputTokens must be a whole, non-negative number/);
    expect(() => toWireEvent({ ...base, cachedInputTokens: 11 })).toThrow(/cannot exceed inputTokens/);
    expect(() => toWireEvent({ ...base, reasoningTokens: 6 })).toThrow(/reasoningTokens cannot exceed outputTokens/);
    expect(() => toWireEvent({ ...base, eventId: 'has space' })).toThrow(ValidationError);
    expect(() => toWireEvent({ ...base, model: ' ' })).toThrow(/model must be a non-empty string/);
    expect(() => toWireEvent({ ...base, sessionId: 's'.repeat(201) })).toThrow(/sessionId is longer than 200 characters/);
    expect(toWireEvent({ ...base, sessionId: ' run-1 ' }).session_id).toBe('run-1');
  });
});
