import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack, waitFor } from './helpers.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.stop());

function clients(feature: string) {
  const llmlab = stack.client();
  const raw = new Anthropic({ apiKey: 'sk-ant-test', baseURL: stack.upstream.anthropicBaseUrl, maxRetries: 0 });
  return { llmlab, anthropic: llmlab.wrapAnthropic(raw, { feature }) };
}

const request = { model: 'claude-sonnet-4-20250514', max_tokens: 512, messages: [{ role: 'user' as const, content: 'Say hello' }] };
// claude-sonnet-4: 20 x $3/M + 2000 cache reads x $0.30/M + 500 cache writes x $3.75/M + 400 out x $15/M = $0.008535
const SONNET_COST_NANOS = 8_535_000;

describe('wrapAnthropic', () => {
  it('records messages.create with cache reads and writes added to input, as Anthropic reports them outside it', async () => {
    const { llmlab, anthropic } = clients('an-create');
    expect(anthropic).toBeInstanceOf(Anthropic);
    const message: Anthropic.Message = await anthropic.messages.create(request);
    await llmlab.flush();
    const [event] = await stack.events({ feature: 'an-create' });
    const u = message.usage;
    expect(event).toMatchObject({
      provider: 'anthropic',
      model: message.model,
      input_tokens: u.input_tokens + (u.cache_read_input_tokens ?? 0) + (u.cache_creation_input_tokens ?? 0),
      cached_input_tokens: u.cache_read_input_tokens,
      cache_write_tokens: u.cache_creation_input_tokens,
      output_tokens: u.output_tokens,
      status: 'success',
      source: 'sdk',
    });
    expect(event.cost_nanos).toBe(SONNET_COST_NANOS);
  });

  it('combines message_start and message_delta usage and records a stream once, after it ends', async () => {
    const { llmlab, anthropic } = clients('an-stream');
    const release = stack.upstream.holdStreams();
    const stream = await anthropic.messages.create({ ...request, stream: true });
    const iterator = stream[Symbol.asyncIterator]();
    expect((await iterator.next()).value?.type).toBe('message_start');
    await llmlab.flush();
    expect(await stack.events({ feature: 'an-stream' })).toHaveLength(0);
    release();
    const types: string[] = ['message_start'];
    for (let step = await iterator.next(); !step.done; step = await iterator.next()) types.push(step.value.type);
    // The wrapped stream yields exactly what the unwrapped client yields for the same answer.
    const raw = new Anthropic({ apiKey: 'sk-ant-test', baseURL: stack.upstream.anthropicBaseUrl, maxRetries: 0 });
    const rawTypes: string[] = [];
    for await (const event of await raw.messages.create({ ...request, stream: true })) rawTypes.push(event.type);
    expect(types).toEqual(rawTypes);
    expect(types).toEqual(expect.arrayContaining(['content_block_delta', 'message_delta', 'message_stop']));
    await llmlab.flush();
    const events = await stack.events({ feature: 'an-stream' });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ input_tokens: 2520, cached_input_tokens: 2000, cache_write_tokens: 500, output_tokens: 400, cost_nanos: SONNET_COST_NANOS });
  });

  it('records the messages.stream() helper through the wrapped create', async () => {
    const { llmlab, anthropic } = clients('an-helper');
    const final = await anthropic.messages.stream(request).finalMessage();
    expect(final.content[0]).toMatchObject({ type: 'text', text: 'Hello from the fake upstream.' });
    await llmlab.flush();
    const events = await stack.events({ feature: 'an-helper' });
    expect(events).toHaveLength(1);
    expect(events[0].output_tokens).toBe(final.usage.output_tokens);
  });

  it('records a stream cut before message_delta as unpriced usage_missing, never as $0', async () => {
    const project = await stack.isolated();
    const llmlab = project.client();
    const anthropic = llmlab.wrapAnthropic(new Anthropic({ apiKey: 'sk-ant-test', baseURL: stack.upstream.anthropicBaseUrl, maxRetries: 0 }));
    await anthropic.messages.create(request);
    const stream = await anthropic.messages.create({ ...request, stream: true });
    for await (const event of stream) {
      expect(event.type).toBe('message_start');
      break;
    }
    await llmlab.flush();
    const events = await project.events();
    expect(events).toHaveLength(2);
    const cut = events.find((e) => e.metadata?.stream === true);
    // message_start told the input side; the output count never came, so the call cannot be priced.
    expect(cut).toMatchObject({ status: 'success', usage_missing: true, cost: null, priced: false, input_tokens: 2520, cached_input_tokens: 2000, cache_write_tokens: 500 });
    expect(cut?.metadata).toMatchObject({ stream_aborted: true });
    const summary = await llmlab.getSummary();
    expect(summary).toMatchObject({ calls: 2, unpriced_calls: 1, total_spend: SONNET_COST_NANOS / 1e9 });
  });

  it('passes Anthropic errors through untouched and records a failed call', async () => {
    const { llmlab, anthropic } = clients('an-error');
    stack.upstream.failNext({ status: 529, body: { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } } });
    const error = await anthropic.messages.create(request).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.APIError);
    expect((error as InstanceType<typeof Anthropic.APIError>).status).toBe(529);
    await llmlab.flush();
    const event = await waitFor(async () => (await stack.events({ feature: 'an-error' }))[0]);
    expect(event).toMatchObject({ status: 'error', model: 'claude-sonnet-4-20250514', output_tokens: 0, usage_missing: false, cost_nanos: 0 });
    expect(event.error_type).toMatch(/Error$/);
  });
});
