import { describe, expect, it } from 'vitest';
import { json, newTenant, track } from './helpers/accounts.js';
import { databases } from './helpers/databases.js';
import { useTestApp } from './helpers/test-app.js';

const NOW = Date.parse('2026-11-27T12:00:00Z');

describe.each(databases())('export, prices and reprice on $name', ({ url }) => {
  const app = useTestApp({ url }, NOW);

  it('exports every event as CSV rows a spreadsheet reads, and as JSON', async () => {
    const t = await newTenant(app);
    const events = Array.from({ length: 2500 }, (_, i) => ({ provider: 'openai', model: 'gpt-4', input_tokens: 1000, output_tokens: 500, timestamp: NOW - (2500 - i) * 1000, event_id: `x-${i}`, feature: i === 0 ? 'say "hi", ok' : 'chat', tags: { team: 'a' } }));
    for (let i = 0; i < events.length; i += 1000) await app.request('/api/events/batch', { token: t.apiKey, body: { events: events.slice(i, i + 1000) } });
    const res = await app.request('/api/export?format=csv', { token: t.apiKey });
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const lines = (await res.text()).trimEnd().split('\r\n');
    expect(lines[0]).toBe('event_id,timestamp,provider,model,input_tokens,output_tokens,cached_input_tokens,cache_write_tokens,reasoning_tokens,cost_usd,priced,latency_ms,status,feature,user_id,environment,source,tags,metadata,cache_hit,saved_usd,session_id,service_tier');
    expect(lines).toHaveLength(2501);
    expect(lines[1]).toBe(`x-0,${new Date(NOW - 2_500_000).toISOString()},openai,gpt-4,1000,500,0,0,0,0.06,true,,success,"say ""hi"", ok",,,api,"{""team"":""a""}",,false,,,`);
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(events.map((e) => e.event_id));
    // Two pages of the keyset read, each one chunk: one JSON array all the same.
    const all = await (await app.request('/api/export?format=json', { token: t.apiKey })).json();
    expect(all.map((e: { event_id: string }) => e.event_id)).toEqual(events.map((e) => e.event_id));
    const filtered = await (await app.request(`/api/export?format=json&from=${NOW - 10_000}`, { token: t.apiKey })).json();
    expect(filtered.map((e: { event_id: string }) => e.event_id)).toEqual(['x-2490', 'x-2491', 'x-2492', 'x-2493', 'x-2494', 'x-2495', 'x-2496', 'x-2497', 'x-2498', 'x-2499']);
  });

  it('neutralises spreadsheet formulas in exported text', async () => {
    const t = await newTenant(app);
    await track(app, t.apiKey, { provider: 'openai', model: 'gpt-4', input_tokens: 1, output_tokens: 1, feature: '=HYPERLINK("http://x")' });
    const text = await (await app.request('/api/export', { token: t.apiKey })).text();
    expect(text.split('\r\n')[1]).toContain(`"'=HYPERLINK(""http://x"")"`);
  });

  it('prices an unknown model after an override and a reprice, and reports the change', async () => {
    const t = await newTenant(app);
    await track(app, t.apiKey, { provider: 'openai', model: 'acme-large', input_tokens: 2_000_000, output_tokens: 1_000_000, timestamp: '2026-11-02T00:00:00Z' });
    await track(app, t.apiKey, { provider: 'openai', model: 'gpt-4', input_tokens: 1000, output_tokens: 500, timestamp: '2026-11-02T00:00:00Z' });
    const o = await app.request('/api/prices/overrides', { token: t.token, body: { provider: 'openai', model: 'acme-large', effective_from: '2026-11-01', input_mtok: 1, output_mtok: 2 } });
    expect(o.status).toBe(201);
    const before = await json<{ unpriced_calls: number; total_spend: number }>(app.request('/api/costs/summary', { token: t.apiKey }));
    expect(before).toMatchObject({ unpriced_calls: 1, total_spend: 0.06 });
    const report = await json(app.request('/api/prices/reprice', { token: t.token, body: {} }));
    expect(report).toEqual({ examined: 2, changed: 1, newly_priced: 1, now_unpriced: 0, cost_before: 0, cost_after: 4, by_model: [{ provider: 'openai', model: 'acme-large', events: 1, cost_before: 0, cost_after: 4 }] });
    const after = await json<{ unpriced_calls: number; total_spend: number; by_model: Record<string, number> }>(app.request('/api/costs/summary', { token: t.apiKey }));
    expect(after).toMatchObject({ unpriced_calls: 0, total_spend: 4.06, by_model: { 'openai/acme-large': 4, 'openai/gpt-4': 0.06 } });
    const again = await json<{ changed: number }>(app.request('/api/prices/reprice', { token: t.token, body: {} }));
    expect(again.changed).toBe(0);
    const lookup = await json(app.request('/api/prices/lookup?provider=openai&model=acme-large', { token: t.apiKey }));
    expect(lookup).toMatchObject({ priced: true, input_mtok: 1, output_mtok: 2 });
    const catalog = await json<{ models: { model: string; input_mtok: number }[] }>(app.request('/api/prices?provider=openai&q=gpt-4o-mini', { token: t.apiKey }));
    expect(catalog.models.find((m) => m.model === 'gpt-4o-mini')?.input_mtok).toBe(0.15);
    // Another org does not see or use this override.
    const other = await newTenant(app);
    expect((await json<{ overrides: unknown[] }>(app.request('/api/prices/overrides', { token: other.token }))).overrides).toHaveLength(0);
    expect((await track(app, other.apiKey, { provider: 'openai', model: 'acme-large', input_tokens: 1, output_tokens: 1 })).priced).toBe(false);
  });

  it('a new or deleted override prices the very next event (cached overrides are dropped on write)', async () => {
    const t = await newTenant(app);
    const ev = { provider: 'openai', model: 'gpt-4', input_tokens: 1000, output_tokens: 500 };
    expect((await track(app, t.apiKey, ev)).cost_nanos).toBe(60_000_000);
    const o = await json<{ id: string }>(app.request('/api/prices/overrides', { token: t.token, body: { provider: 'openai', model: 'gpt-4', effective_from: '2026-11-01', input_mtok: 10, output_mtok: 20 } }));
    expect((await track(app, t.apiKey, ev)).cost_nanos).toBe(20_000_000);
    expect((await app.request(`/api/prices/overrides/${o.id}`, { method: 'DELETE', token: t.token })).status).toBe(200);
    expect((await track(app, t.apiKey, ev)).cost_nanos).toBe(60_000_000);
  });
});
