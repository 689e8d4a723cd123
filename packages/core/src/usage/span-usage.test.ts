import { describe, expect, it } from 'vitest';
import { readSpanUsage } from './span-usage.js';

// One Anthropic call: 20 fresh input tokens, 2,000 read from cache, 500 written to it, 400 output
// of which 100 thinking. Every source below describes it, each in its own spelling.
const CALL = { input_tokens: 2520, output_tokens: 400, cached_input_tokens: 2000, cache_write_tokens: 500 };

describe('readSpanUsage: one Anthropic call as each instrumentation reports it', () => {
  it.each([
    [
      'the Anthropic SDK (input includes cache, cache_write spelling)',
      'com.anthropic.sdk.typescript',
      { 'gen_ai.usage.input_tokens': 2520, 'gen_ai.usage.cache_read.input_tokens': 2000, 'gen_ai.usage.cache_write.input_tokens': 500, 'gen_ai.usage.output_tokens': 400, 'gen_ai.usage.reasoning.output_tokens': 100 },
      { ...CALL, reasoning_tokens: 100 },
      5,
    ],
    [
      'OpenLLMetry (Anthropic input, dotted semconv cache spellings)',
      '@traceloop/instrumentation-anthropic',
      { 'gen_ai.usage.input_tokens': 20, 'gen_ai.usage.cache_read.input_tokens': 2000, 'gen_ai.usage.cache_creation.input_tokens': 500, 'gen_ai.usage.output_tokens': 400 },
      { ...CALL, reasoning_tokens: 0 },
      4,
    ],
    [
      'OpenLIT (Anthropic input, dotted spellings)',
      'openlit',
      { 'gen_ai.usage.input_tokens': 20, 'gen_ai.usage.cache_read.input_tokens': 2000, 'gen_ai.usage.cache_creation.input_tokens': 500, 'gen_ai.usage.output_tokens': 400 },
      { ...CALL, reasoning_tokens: 0 },
      4,
    ],
    [
      'an unknown instrumentation with Anthropic field names',
      'my-tracer',
      { 'gen_ai.usage.prompt_tokens': 20, 'gen_ai.usage.cache_read_input_tokens': 2000, 'gen_ai.usage.cache_creation_input_tokens': 500, 'gen_ai.usage.completion_tokens': 400 },
      { ...CALL, reasoning_tokens: 0 },
      4,
    ],
    [
      'the Vercel AI SDK 6 (total input, input token details)',
      'ai',
      {
        'gen_ai.usage.input_tokens': 2520,
        'gen_ai.usage.output_tokens': 400,
        'ai.usage.inputTokenDetails.noCacheTokens': 20,
        'ai.usage.inputTokenDetails.cacheReadTokens': 2000,
        'ai.usage.inputTokenDetails.cacheWriteTokens': 500,
        'ai.usage.outputTokenDetails.reasoningTokens': 100,
      },
      { ...CALL, reasoning_tokens: 100 },
      5,
    ],
    [
      'the Vercel AI SDK 5 (Anthropic input, cachedInputTokens)',
      'ai',
      { 'ai.usage.inputTokens': 520, 'ai.usage.cachedInputTokens': 2000, 'ai.usage.outputTokens': 400 },
      { input_tokens: 2520, output_tokens: 400, cached_input_tokens: 2000, cache_write_tokens: 0, reasoning_tokens: 0 },
      3,
    ],
  ])('%s', (_name, scope, attrs, usage, reported) => {
    const read = readSpanUsage(attrs, scope, 'anthropic');
    expect(read?.usage).toEqual(usage);
    expect(read?.reported).toBe(reported);
    expect(read?.corrected).toBeUndefined();
  });
});

describe('readSpanUsage: OpenAI spans', () => {
  it('reads the GenAI convention: cached inside input, reasoning inside output', () => {
    const read = readSpanUsage(
      { 'gen_ai.usage.input_tokens': 1200, 'gen_ai.usage.cache_read.input_tokens': 1024, 'gen_ai.usage.output_tokens': 300, 'gen_ai.usage.reasoning.output_tokens': 64 },
      '@opentelemetry/instrumentation-openai',
      'openai',
    );
    expect(read).toEqual({
      usage: { input_tokens: 1200, output_tokens: 300, cached_input_tokens: 1024, cache_write_tokens: 0, reasoning_tokens: 64 },
      reported: 4,
      convention: 'includes_cache: OpenTelemetry GenAI convention',
    });
  });

  it("reads OpenLIT's reasoning and cache spellings for OpenAI as included", () => {
    const read = readSpanUsage(
      { 'gen_ai.usage.input_tokens': 1200, 'gen_ai.usage.cache_read.input_tokens': 1024, 'gen_ai.usage.output_tokens': 300, 'gen_ai.usage.completion_tokens_details.reasoning': 64 },
      'openlit',
      'openai',
    );
    expect(read?.usage).toEqual({ input_tokens: 1200, output_tokens: 300, cached_input_tokens: 1024, cache_write_tokens: 0, reasoning_tokens: 64 });
  });

  it('answers null for a span with no input or output count (usage never arrived)', () => {
    expect(readSpanUsage({ 'gen_ai.system': 'openai', 'gen_ai.request.model': 'gpt-4o-mini' }, '@traceloop/instrumentation-openai', 'openai')).toBeNull();
  });

  it('reads counts sent as strings and ignores negative or non-numeric ones', () => {
    const read = readSpanUsage({ 'gen_ai.usage.input_tokens': '42', 'gen_ai.usage.output_tokens': -3, 'gen_ai.usage.completion_tokens': 'x' }, 'x', 'openai');
    expect(read?.usage).toMatchObject({ input_tokens: 42, output_tokens: 0 });
    expect(read?.reported).toBe(1);
  });

  it('keeps a count that breaks its own convention and says so', () => {
    const read = readSpanUsage({ 'gen_ai.usage.input_tokens': 10, 'gen_ai.usage.cache_read.input_tokens': 100, 'gen_ai.usage.output_tokens': 5, 'gen_ai.usage.reasoning.output_tokens': 7 }, 'x', 'openai');
    expect(read?.usage).toEqual({ input_tokens: 110, output_tokens: 12, cached_input_tokens: 100, cache_write_tokens: 0, reasoning_tokens: 7 });
    expect(read?.corrected).toBe('cache tokens (100) exceeded input tokens (10) and were added to them; reasoning tokens (7) exceeded output tokens (5) and were added to them');
  });
});
