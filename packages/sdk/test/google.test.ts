import { ApiError, type GenerateContentResponse, GoogleGenAI } from '@google/genai';
import { catalogRates } from '@llmlab/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTags } from '../src/index.js';
import { DEFAULT_FAKE_GEMINI_USAGE, geminiError } from './fake-google.js';
import { type Stack, startStack, waitFor } from './helpers.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.stop());

function clients(feature: string) {
  const llmlab = stack.client();
  const raw = new GoogleGenAI({ apiKey: 'gm-test', httpOptions: { baseUrl: stack.upstream.url } });
  return { llmlab, raw, ai: llmlab.wrapGoogle(raw, { feature }) };
}

const request = { model: 'gemini-2.5-flash', contents: 'Say hello' };
const u = DEFAULT_FAKE_GEMINI_USAGE;
// gemini-2.5-flash ($/M): 0.30 input, 0.03 cached input, 2.50 output (thinking included).
// (1500 - 1024) x $0.30/M + 1024 x $0.03/M + (200 candidates + 350 thoughts) x $2.50/M = $0.00154852
const FLASH_COST_NANOS = 476 * 300 + 1024 * 30 + 550 * 2_500;

describe('wrapGoogle', () => {
  it('checks the price arithmetic against the catalog', () => {
    expect(catalogRates('google', 'gemini-2.5-flash', Date.now())?.rates).toMatchObject({ input_mtok: 0.3, cache_read_mtok: 0.03, output_mtok: 2.5 });
    expect(FLASH_COST_NANOS).toBe(1_548_520);
  });

  it('records generateContent with thinking counted as output and cached tokens inside input, priced to the nanodollar', async () => {
    const { llmlab, raw, ai } = clients('gm-generate');
    expect(ai).toBeInstanceOf(GoogleGenAI);
    const response: GenerateContentResponse = await withTags({ userId: 'u-9', tags: { team: 'search' } }, () => ai.models.generateContent(request));
    expect(response.text).toBe('Hello from the fake upstream.');
    const meta = response.usageMetadata;
    expect(meta).toMatchObject({ promptTokenCount: u.promptTokenCount, cachedContentTokenCount: u.cachedContentTokenCount, candidatesTokenCount: u.candidatesTokenCount, thoughtsTokenCount: u.thoughtsTokenCount });
    await llmlab.flush();
    const [event] = await stack.events({ feature: 'gm-generate' });
    expect(event).toMatchObject({
      provider: 'google',
      model: response.modelVersion,
      input_tokens: meta?.promptTokenCount,
      cached_input_tokens: meta?.cachedContentTokenCount,
      // Gemini reports thinking beside the candidates, not inside them; both are billed as output.
      output_tokens: (meta?.candidatesTokenCount ?? 0) + (meta?.thoughtsTokenCount ?? 0),
      reasoning_tokens: meta?.thoughtsTokenCount,
      status: 'success',
      source: 'sdk',
      user_id: 'u-9',
      tags: { team: 'search' },
      priced: true,
    });
    expect(event.model).toBe('gemini-2.5-flash');
    expect(event.cost_nanos).toBe(FLASH_COST_NANOS);
    expect(event.metadata).toMatchObject({ operation: 'models.generateContent' });
    expect(JSON.stringify(event)).not.toContain('Say hello');
    expect(raw.models).not.toBe(ai.models);
  });

  it('records generateContentStream once, from the last chunk, after the stream ends', async () => {
    const { llmlab, raw, ai } = clients('gm-stream');
    const release = stack.upstream.holdStreams();
    const stream = await ai.models.generateContentStream({ ...request, model: 'models/gemini-2.5-flash' });
    const iterator = stream[Symbol.asyncIterator]();
    const first = await iterator.next();
    expect(first.value?.text).toBe('Hello');
    await llmlab.flush();
    expect(await stack.events({ feature: 'gm-stream' })).toHaveLength(0);
    release();
    const chunks: GenerateContentResponse[] = [first.value as GenerateContentResponse];
    for (let step = await iterator.next(); !step.done; step = await iterator.next()) chunks.push(step.value);
    expect(chunks.map((c) => c.text).join('')).toBe('Hello from the fake upstream.');
    // Every chunk carries usage; the counts grow and only the last one is the call's.
    expect(chunks.every((c) => c.usageMetadata)).toBe(true);
    expect(chunks[0].usageMetadata?.candidatesTokenCount ?? 0).toBeLessThan(u.candidatesTokenCount);
    expect(chunks.at(-1)?.usageMetadata?.candidatesTokenCount).toBe(u.candidatesTokenCount);
    const sent = stack.upstream.requests.at(-1);
    expect(sent?.path).toBe('/v1beta/models/gemini-2.5-flash:streamGenerateContent');
    // The wrapped stream yields what the unwrapped client yields for the same answer.
    const rawTexts: (string | undefined)[] = [];
    for await (const chunk of await raw.models.generateContentStream(request)) rawTexts.push(chunk.text);
    expect(chunks.map((c) => c.text)).toEqual(rawTexts);
    await llmlab.flush();
    const events = await stack.events({ feature: 'gm-stream' });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ provider: 'google', model: 'gemini-2.5-flash', input_tokens: 1500, cached_input_tokens: 1024, output_tokens: 550, reasoning_tokens: 350, status: 'success', cost_nanos: FLASH_COST_NANOS });
    expect(events[0].metadata).toMatchObject({ stream: true, operation: 'models.generateContentStream' });
    expect(events[0].metadata?.stream_aborted).toBeUndefined();
  });

  it('passes a Gemini error through untouched and records an error event with no tokens', async () => {
    const { llmlab, ai } = clients('gm-error');
    stack.upstream.failNext({ status: 429, body: geminiError(429, 'RESOURCE_EXHAUSTED', 'Resource has been exhausted (e.g. check quota).') });
    const error = await ai.models.generateContent({ ...request, model: 'models/gemini-2.5-flash' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(429);
    expect((error as ApiError).message).toContain('RESOURCE_EXHAUSTED');
    stack.upstream.failNext({ status: 503, body: geminiError(503, 'UNAVAILABLE', 'The model is overloaded.') });
    const streamError = await ai.models.generateContentStream(request).catch((e: unknown) => e);
    expect((streamError as ApiError).status).toBe(503);
    await llmlab.flush();
    const events = await waitFor(async () => {
      const found = await stack.events({ feature: 'gm-error' });
      return found.length === 2 ? found : undefined;
    });
    for (const event of events) {
      // The request's model, without Gemini's `models/` prefix; a refused call is not billed.
      expect(event).toMatchObject({ provider: 'google', status: 'error', error_type: 'ApiError', model: 'gemini-2.5-flash', input_tokens: 0, output_tokens: 0, usage_missing: false, cost_nanos: 0 });
    }
    expect(events.map((e) => e.metadata?.http_status).sort()).toEqual([429, 503]);
  });

  it('records a stream cut off mid-answer once, as an unpriced usage_missing error, never as the partial counts', async () => {
    const project = await stack.isolated();
    const llmlab = project.client();
    const ai = llmlab.wrapGoogle(new GoogleGenAI({ apiKey: 'gm-test', httpOptions: { baseUrl: stack.upstream.url } }));
    await ai.models.generateContent(request);
    stack.upstream.cutNextStream(3);
    const texts: (string | undefined)[] = [];
    const error = await (async () => {
      for await (const chunk of await ai.models.generateContentStream(request)) texts.push(chunk.text);
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(texts).toEqual(['Hello', ' from', ' the']);
    await llmlab.flush();
    const events = await project.events();
    expect(events).toHaveLength(2);
    const cut = events.find((e) => e.metadata?.stream === true);
    expect(cut).toMatchObject({ status: 'error', usage_missing: true, cost: null, priced: false, input_tokens: 1500, cached_input_tokens: 1024 });
    const summary = await llmlab.getSummary();
    expect(summary).toMatchObject({ calls: 2, unpriced_calls: 1, total_spend: FLASH_COST_NANOS / 1e9 });
  });

  it('leaves embedContent and countTokens as they are: their answers carry no billed usage', async () => {
    const { llmlab, ai } = clients('gm-embed');
    const embedded = await ai.models.embedContent({ model: 'gemini-embedding-001', contents: ['hello', 'world'] });
    expect(embedded.embeddings).toHaveLength(2);
    expect(embedded.embeddings?.[0].values).toHaveLength(8);
    const counted = await ai.models.countTokens(request);
    expect(counted.totalTokens).toBe(u.promptTokenCount);
    await ai.models.generateContent(request);
    await llmlab.flush();
    const events = await stack.events({ feature: 'gm-embed' });
    expect(events.map((e) => e.metadata?.operation)).toEqual(['models.generateContent']);
  });
});
