import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTags } from '../src/index.js';
import { api, type Stack, startStack, waitFor } from './helpers.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.stop());

function clients(feature: string) {
  const llmlab = stack.client();
  const raw = new OpenAI({ apiKey: 'sk-test', baseURL: stack.upstream.openaiBaseUrl, maxRetries: 0 });
  return { llmlab, raw, openai: llmlab.wrapOpenAI(raw, { feature }) };
}

const messages = [{ role: 'user' as const, content: 'Say hello' }];

describe('wrapOpenAI', () => {
  it('records a chat completion with the usage of the response, priced to the nanodollar', async () => {
    const { llmlab, raw, openai } = clients('oa-chat');
    expect(openai).toBeInstanceOf(OpenAI);
    const completion: OpenAI.Chat.Completions.ChatCompletion = await withTags({ userId: 'u-7', tags: { team: 'search' } }, () =>
      openai.chat.completions.create({ model: 'gpt-4o', messages }),
    );
    expect(completion.choices[0].message.content).toBe('Hello from the fake upstream.');
    await llmlab.flush();
    const [event] = await stack.events({ feature: 'oa-chat' });
    const usage = completion.usage;
    expect(usage?.prompt_tokens).toBe(1200);
    expect(event).toMatchObject({
      provider: 'openai',
      model: completion.model,
      input_tokens: usage?.prompt_tokens,
      cached_input_tokens: usage?.prompt_tokens_details?.cached_tokens,
      output_tokens: usage?.completion_tokens,
      reasoning_tokens: usage?.completion_tokens_details?.reasoning_tokens,
      status: 'success',
      source: 'sdk',
      user_id: 'u-7',
      tags: { team: 'search' },
      priced: true,
    });
    // gpt-4o: 176 uncached x $2.50/M + 1024 cached x $1.25/M + 300 out x $10/M = $0.00472
    expect(event.cost_nanos).toBe(4_720_000);
    expect(event.request_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(event)).not.toContain('Say hello');
    // The same request body sent again hashes alike, whatever its key order.
    await openai.chat.completions.create({ messages, model: 'gpt-4o' });
    await llmlab.flush();
    const both = await stack.events({ feature: 'oa-chat' });
    expect(both).toHaveLength(2);
    expect(both[0].request_hash).toBe(both[1].request_hash);
    expect(raw.chat.completions).not.toBe(openai.chat.completions);
  });

  it('asks a chat stream for usage, hides that extra chunk, and records once after the stream ends', async () => {
    const { llmlab, openai } = clients('oa-stream');
    const release = stack.upstream.holdStreams();
    const stream = await openai.chat.completions.create({ model: 'gpt-4o', messages, stream: true });
    const iterator = stream[Symbol.asyncIterator]();
    const first = await iterator.next();
    expect(first.value?.choices[0].delta.role).toBe('assistant');
    await llmlab.flush();
    expect(await stack.events({ feature: 'oa-stream' })).toHaveLength(0);
    release();
    const text: string[] = [];
    for (let step = await iterator.next(); !step.done; step = await iterator.next()) {
      expect(step.value.choices).toHaveLength(1);
      text.push(step.value.choices[0].delta.content ?? '');
    }
    expect(text.join('')).toBe('Hello from the fake upstream.');
    const sent = stack.upstream.requests.at(-1)?.body;
    expect(sent?.stream_options).toEqual({ include_usage: true });
    await llmlab.flush();
    const events = await stack.events({ feature: 'oa-stream' });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ input_tokens: 1200, cached_input_tokens: 1024, output_tokens: 300, reasoning_tokens: 64, cost_nanos: 4_720_000 });
    expect(events[0].metadata).toMatchObject({ stream: true, operation: 'chat.completions.create' });
  });

  it('records a stream the caller stops reading before its usage chunk once, as unpriced usage_missing, never as $0', async () => {
    const project = await stack.isolated();
    const llmlab = project.client();
    const openai = llmlab.wrapOpenAI(new OpenAI({ apiKey: 'sk-test', baseURL: stack.upstream.openaiBaseUrl, maxRetries: 0 }));
    await openai.chat.completions.create({ model: 'gpt-4o', messages });
    const stream = await openai.chat.completions.create({ model: 'gpt-4o', messages, stream: true });
    for await (const chunk of stream) {
      expect(chunk.choices[0].delta.role).toBe('assistant');
      break;
    }
    expect(stream.controller.signal.aborted).toBe(true);
    await llmlab.flush();
    const events = await project.events();
    expect(events).toHaveLength(2);
    const abandoned = events.find((e) => e.metadata?.stream === true);
    expect(abandoned).toMatchObject({ status: 'success', model: 'gpt-4o-2024-08-06', usage_missing: true, cost: null, priced: false, input_tokens: 0, output_tokens: 0 });
    expect(abandoned?.metadata).toMatchObject({ stream: true, stream_aborted: true });
    // The summary counts the call as unpriced and adds nothing for it: the spend is the complete call's.
    const summary = await llmlab.getSummary();
    expect(summary).toMatchObject({ calls: 2, unpriced_calls: 1, total_spend: 0.00472 });
  });

  it('records a stream and a response from a provider that reports no usage as usage_missing', async () => {
    const { llmlab, openai } = clients('oa-no-usage');
    const noUsage = { headers: { 'x-fake-no-usage': '1' } };
    const stream = await openai.chat.completions.create({ model: 'gpt-4o', messages, stream: true }, noUsage);
    const text: string[] = [];
    for await (const chunk of stream) text.push(chunk.choices[0]?.delta.content ?? '');
    expect(text.join('')).toBe('Hello from the fake upstream.');
    const completion = await openai.chat.completions.create({ model: 'gpt-4o', messages }, noUsage);
    expect(completion.usage).toBeUndefined();
    await llmlab.flush();
    const events = await stack.events({ feature: 'oa-no-usage' });
    expect(events).toHaveLength(2);
    for (const e of events) expect(e).toMatchObject({ status: 'success', usage_missing: true, cost: null, priced: false, output_tokens: 0 });
    expect(events.some((e) => e.metadata?.stream_aborted)).toBe(false);
  });

  it('leaves the usage chunk in a stream whose caller asked for it', async () => {
    const { llmlab, openai } = clients('oa-stream-usage');
    const stream = await openai.chat.completions.create({ model: 'gpt-4o-mini', messages, stream: true, stream_options: { include_usage: true } });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    const last = chunks.at(-1);
    expect(last?.choices).toEqual([]);
    expect(last?.usage?.prompt_tokens).toBe(1200);
    await llmlab.flush();
    const [event] = await stack.events({ feature: 'oa-stream-usage' });
    expect(event.input_tokens).toBe(last?.usage?.prompt_tokens);
    expect(event.output_tokens).toBe(last?.usage?.completion_tokens);
  });

  it('records the Responses API, plain and streamed (response.completed)', async () => {
    const { llmlab, openai } = clients('oa-responses');
    const response = await openai.responses.create({ model: 'gpt-4o-mini', input: 'Say hello' });
    expect(response.output_text).toBe('Hello from the fake upstream.');
    const stream = await openai.responses.create({ model: 'gpt-4o-mini', input: 'Say hello', stream: true });
    const types: string[] = [];
    for await (const event of stream) types.push(event.type);
    expect(types.at(-1)).toBe('response.completed');
    await llmlab.flush();
    const events = await stack.events({ feature: 'oa-responses' });
    expect(events).toHaveLength(2);
    for (const e of events) {
      expect(e).toMatchObject({ model: response.model, input_tokens: response.usage?.input_tokens, cached_input_tokens: 512, output_tokens: 250, reasoning_tokens: 100 });
      // gpt-4o-mini: 388 x $0.15/M + 512 x $0.075/M + 250 x $0.60/M = $0.0002466
      expect(e.cost_nanos).toBe(246_600);
    }
  });

  it('records embeddings (input tokens only) and the helpers built on create', async () => {
    const { llmlab, openai } = clients('oa-embed');
    const result = await openai.embeddings.create({ model: 'text-embedding-3-small', input: 'hello' });
    expect(result.data[0].embedding).toHaveLength(8);
    const parsed = await openai.chat.completions.parse({ model: 'gpt-4o', messages });
    expect(parsed.choices[0].message.content).toBe('Hello from the fake upstream.');
    await llmlab.flush();
    const events = await stack.events({ feature: 'oa-embed' });
    const embedding = events.find((e) => e.model === 'text-embedding-3-small');
    expect(embedding).toMatchObject({ input_tokens: 8, output_tokens: 0, cost_nanos: 160 });
    expect(events.filter((e) => e.model === 'gpt-4o-2024-08-06')).toHaveLength(1);
  });

  it('records a 2xx answer whose body cannot be read as a failed call whose usage is missing', async () => {
    const llmlab = stack.client();
    const truncated = async () => new Response('{"id":"chatcmpl-1","object":"chat.comp', { status: 200, headers: { 'content-type': 'application/json' } });
    const openai = llmlab.wrapOpenAI(new OpenAI({ apiKey: 'sk-test', baseURL: stack.upstream.openaiBaseUrl, maxRetries: 0, fetch: truncated }), { feature: 'oa-truncated' });
    const error = await openai.chat.completions.create({ model: 'gpt-4o', messages }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SyntaxError);
    await llmlab.flush();
    const [event] = await stack.events({ feature: 'oa-truncated' });
    expect(event).toMatchObject({ status: 'error', error_type: 'SyntaxError', model: 'gpt-4o', usage_missing: true, cost: null, priced: false });
  });

  it('puts every call inside withTags({ sessionId }) in that session, wrapped or tracked by hand, nested tags merged', async () => {
    const project = await stack.isolated();
    const own = project.client();
    const ownOpenai = own.wrapOpenAI(new OpenAI({ apiKey: 'sk-test', baseURL: stack.upstream.openaiBaseUrl, maxRetries: 0 }), { feature: 'oa-session' });
    await withTags({ sessionId: 'sdk-run-1', userId: 'u-9' }, async () => {
      await ownOpenai.chat.completions.create({ model: 'gpt-4o', messages });
      await withTags({ feature: 'oa-session-tool' }, async () => {
        own.track({ provider: 'openai', model: 'gpt-4', inputTokens: 1000, outputTokens: 500 });
      });
    });
    await ownOpenai.chat.completions.create({ model: 'gpt-4o', messages });
    await own.flush();
    const events = await project.events();
    expect(events.map((e) => [e.feature, e.session_id, e.user_id]).sort()).toEqual([
      ['oa-session', null, null],
      ['oa-session', 'sdk-run-1', 'u-9'],
      ['oa-session-tool', 'sdk-run-1', 'u-9'],
    ]);
    const session = await api<{ calls: number; cost_nanos: number; events: { feature: string }[] }>(stack.server.baseUrl, project.user.apiKey, 'GET', '/api/sessions/sdk-run-1');
    // gpt-4o call $0.00472 (see above) + gpt-4 1,000 in and 500 out $0.06
    expect(session).toMatchObject({ calls: 2, cost_nanos: 4_720_000 + 60_000_000 });
    expect(session.events.map((e) => e.feature)).toEqual(['oa-session', 'oa-session-tool']);
  });

  it('passes provider errors through untouched and records them as failed calls with latency', async () => {
    const { llmlab, openai } = clients('oa-error');
    const body = { error: { message: 'Rate limit reached for gpt-4o', type: 'requests', param: null, code: 'rate_limit_exceeded' } };
    stack.upstream.failNext({ status: 429, body });
    const error = await openai.chat.completions.create({ model: 'gpt-4o', messages }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect((error as InstanceType<typeof OpenAI.RateLimitError>).status).toBe(429);
    expect((error as Error).message).toContain('Rate limit reached for gpt-4o');
    await llmlab.flush();
    const event = await waitFor(async () => (await stack.events({ feature: 'oa-error' }))[0]);
    // Providers do not bill a refused call: an error with no tokens, not a call whose usage went missing.
    expect(event).toMatchObject({ status: 'error', error_type: 'RateLimitError', model: 'gpt-4o', input_tokens: 0, output_tokens: 0, usage_missing: false, priced: true, cost_nanos: 0 });
    expect(event.latency_ms).toBeGreaterThanOrEqual(0);
  });
});
