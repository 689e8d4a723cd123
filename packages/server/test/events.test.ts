import { describe, expect, it } from 'vitest';
import { json, newTenant, track } from './helpers/accounts.js';
import { databases } from './helpers/databases.js';
import { useTestApp } from './helpers/test-app.js';

const NOW = Date.parse('2026-11-27T12:00:00Z');

describe.each(databases())('events on $name', ({ url }) => {
  const app = useTestApp({ url }, NOW);

  it('prices the original example at $0.06 and stores it', async () => {
    const t = await newTenant(app);
    const r = await track(app, t.apiKey, { provider: 'openai', model: 'gpt-4', input_tokens: 1000, output_tokens: 500, metadata: { feature: 'summarization' } });
    expect(r).toMatchObject({ success: true, cost: 0.06, cost_nanos: 60_000_000, priced: true, duplicate: false });
    const e = await json<{ feature: string; cost: number; source: string; price_source: string }>(app.request(`/api/events/${r.event_id}`, { token: t.apiKey }));
    expect(e).toMatchObject({ feature: 'summarization', cost: 0.06, source: 'api' });
    expect(e.price_source).toBe('catalog:genai-prices@0.1.8/gpt-4');
  });

  it('stores an unknown model as unpriced (null), never $0', async () => {
    const t = await newTenant(app);
    const r = await track(app, t.apiKey, { provider: 'openai', model: 'ft:gpt-9-custom', input_tokens: 10, output_tokens: 10 });
    expect(r).toMatchObject({ cost: null, cost_nanos: null, priced: false });
    const s = await json<{ unpriced_calls: number; total_spend: number; calls: number }>(app.request('/api/costs/summary', { token: t.apiKey }));
    expect(s).toMatchObject({ unpriced_calls: 1, total_spend: 0, calls: 1 });
  });

  it('stores a re-sent event_id once, in the events and in the rollups', async () => {
    const t = await newTenant(app);
    const event = { provider: 'anthropic', model: 'claude-3-haiku', input_tokens: 1000, output_tokens: 1000, event_id: 'retry-1' };
    const first = await app.request('/api/events/track', { token: t.apiKey, body: event });
    const again = await app.request('/api/events/track', { token: t.apiKey, body: event });
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ duplicate: true, event_id: 'retry-1', cost_nanos: 1_500_000 });
    const batch = await json<{ accepted: number; duplicates: number }>(app.request('/api/events/batch', { token: t.apiKey, body: { events: [event, { ...event, event_id: 'retry-2' }] } }));
    expect(batch).toMatchObject({ accepted: 1, duplicates: 1 });
    const s = await json<{ calls: number; total_spend: number }>(app.request('/api/costs/summary', { token: t.apiKey }));
    expect(s.calls).toBe(2);
    expect(s.total_spend).toBe(0.003);
  });

  it('stores an event once when the same event_id arrives concurrently from many clients', async () => {
    const t = await newTenant(app);
    const event = { provider: 'openai', model: 'gpt-4', input_tokens: 1000, output_tokens: 500, event_id: 'race-1' };
    const answers = await Promise.all(Array.from({ length: 20 }, () => app.request('/api/events/track', { token: t.apiKey, body: event })));
    expect(answers.map((r) => r.status).sort()).toEqual([200, ...Array(18).fill(200), 201].sort());
    const bodies = await Promise.all(answers.map((r) => r.json()));
    expect(bodies.every((b) => b.cost_nanos === 60_000_000)).toBe(true);
    const s = await json<{ calls: number; total_spend: number }>(app.request('/api/costs/summary', { token: t.apiKey }));
    expect(s).toMatchObject({ calls: 1, total_spend: 0.06 });
  });

  it('takes a batch of 1,000 and refuses 1,001 without storing any', async () => {
    const t = await newTenant(app);
    const mk = (i: number) => ({ provider: 'openai', model: 'gpt-4o-mini', input_tokens: 1000 + i, output_tokens: 10, timestamp: NOW - i * 1000 });
    const ok = await json<{ accepted: number }>(app.request('/api/events/batch', { token: t.apiKey, body: { events: Array.from({ length: 1000 }, (_, i) => mk(i)) } }));
    expect(ok.accepted).toBe(1000);
    const tooMany = await app.request('/api/events/batch', { token: t.apiKey, body: { events: Array.from({ length: 1001 }, (_, i) => mk(i)) } });
    expect(tooMany.status).toBe(400);
    expect((await tooMany.json()).error.message).toMatch(/events: events must hold at most 1000 events/);
    const s = await json<{ calls: number }>(app.request('/api/costs/summary', { token: t.apiKey }));
    expect(s.calls).toBe(1000);
  });

  it('rejects a batch with one bad event, naming its index, and stores nothing', async () => {
    const t = await newTenant(app);
    const res = await app.request('/api/events/batch', {
      token: t.apiKey,
      body: { events: [{ provider: 'openai', model: 'gpt-4', input_tokens: 1, output_tokens: 1 }, { provider: 'openai', model: 'gpt-4', input_tokens: 1.5, output_tokens: 1 }] },
    });
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.error.code).toBe('validation_failed');
    expect(body.error.message).toBe('events.1.input_tokens: input_tokens must be a whole number of tokens');
    const list = await json<{ events: unknown[] }>(app.request('/api/events', { token: t.apiKey }));
    expect(list.events).toHaveLength(0);
  });

  it('lists events newest first with filters and a cursor, and gives back every event', async () => {
    const t = await newTenant(app);
    const events = Array.from({ length: 25 }, (_, i) => ({ provider: 'openai', model: i % 2 ? 'gpt-4o' : 'gpt-4o-mini', input_tokens: 100 + i, output_tokens: i, feature: i % 2 ? 'chat' : 'search', timestamp: NOW - (25 - i) * 60_000, event_id: `e-${String(i).padStart(2, '0')}` }));
    await app.request('/api/events/batch', { token: t.apiKey, body: { events } });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { events: { event_id: string }[]; next_cursor: string | null } = await json(app.request(`/api/events?limit=10${cursor ? `&cursor=${cursor}` : ''}`, { token: t.apiKey }));
      seen.push(...page.events.map((e) => e.event_id));
      cursor = page.next_cursor;
    } while (cursor);
    expect(seen).toEqual(events.map((e) => e.event_id).reverse());
    const chat = await json<{ events: { feature: string; input_tokens: number }[] }>(app.request('/api/events?feature=chat&model=gpt-4o&limit=100', { token: t.apiKey }));
    expect(chat.events).toHaveLength(12);
    expect(chat.events.every((e) => e.feature === 'chat')).toBe(true);
  });
});
