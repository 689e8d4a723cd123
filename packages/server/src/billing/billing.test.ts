import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, json, newTenant, type TestTenant } from '../../test/helpers/accounts.js';
import { databases } from '../../test/helpers/databases.js';
import { type FakeCostApis, startFakeCostApis } from '../../test/helpers/fake-cost-apis.js';
import { pointGatewayAt } from '../../test/helpers/gateway-upstreams.js';
import { type TestApp, useTestApp } from '../../test/helpers/test-app.js';
import { startReceiver } from '../alerts/test-receivers.js';
import { runBillingSync } from './scheduler.js';

// Friday 20 November 2026, noon UTC: the 16th and 17th have settled (48 hours after their end), the 18th to the 20th not yet.
const NOW = Date.parse('2026-11-20T12:00:00Z');
const at = (date: string, time = '10:00:00') => `${date}T${time}Z`;

interface Day {
  date: string;
  provider: string;
  tracked_nanos: number;
  billed_nanos: number | null;
  difference_nanos: number | null;
  difference_pct: number | null;
  settled: boolean;
  unpriced_calls: number;
  models: { model: string | null; line_item: string | null; tracked_nanos: number; billed_nanos: number | null; difference_nanos: number | null; line_items: { line_item: string; billed_nanos: number }[] }[];
}
interface Reconciliation {
  from: string;
  to: string;
  providers: { provider: string; days_billed: number; tracked_nanos: number; billed_nanos: number | null; difference_nanos: number | null; untracked_nanos: number; untracked: number }[];
  days: Day[];
}

/** Sends calls with the tenant's key; answers the cost LLMLab gave each, by event_id. */
async function trackCalls(app: TestApp, t: TestTenant, events: Record<string, unknown>[]): Promise<Record<string, number>> {
  const res = await app.request('/api/events/batch', { token: t.apiKey, body: { events } });
  expect(res.status).toBe(200);
  const body = await json<{ events: { event_id: string; cost_nanos: number | null }[] }>(res);
  return Object.fromEntries(body.events.map((e) => [e.event_id, e.cost_nanos ?? 0]));
}

const day = (r: Reconciliation, date: string, provider: string) => r.days.find((d) => d.date === date && d.provider === provider) as Day;

describe.each(databases())('billing reconciliation on $name', (database) => {
  const app = useTestApp(database, NOW);
  let fake: FakeCostApis;
  beforeAll(async () => {
    fake = await startFakeCostApis();
    pointGatewayAt(app.ctx.config, fake.url);
    app.ctx.config.webhookAllowPrivate = true;
  });
  afterAll(() => fake?.close());

  const connect = (t: TestTenant, provider: string, body: Record<string, unknown>) => app.request(`/api/billing/connections/${provider}`, { method: 'PUT', token: t.token, body });
  const reconcile = (t: TestTenant, body: Record<string, unknown>) => app.request('/api/billing/reconcile', { token: t.token, body });
  const reconciliation = (t: TestTenant, query: string) => json<Reconciliation>(app.request(`/api/billing/reconciliation?${query}`, { token: t.token }));

  it('compares what LLMLab tracked with both bills per UTC day and model, to the nanodollar, across pages', async () => {
    const t = await newTenant(app);
    const cost = await trackCalls(app, t, [
      { event_id: 'o1', provider: 'openai', model: 'gpt-4o', input_tokens: 12_000, output_tokens: 800, timestamp: at('2026-11-16', '00:00:00') },
      { event_id: 'o2', provider: 'openai', model: 'gpt-4o-2024-08-06', input_tokens: 3_000, output_tokens: 2_000, timestamp: at('2026-11-16', '23:59:59') },
      { event_id: 'o3', provider: 'openai', model: 'gpt-4o-mini', input_tokens: 40_000, output_tokens: 1_000, timestamp: at('2026-11-17') },
      { event_id: 'o4', provider: 'openai', model: 'model-nobody-prices', input_tokens: 10, output_tokens: 10, timestamp: at('2026-11-17') },
      { event_id: 'a1', provider: 'anthropic', model: 'claude-sonnet-4-20250514', input_tokens: 100_000, output_tokens: 5_000, timestamp: at('2026-11-16') },
      // The day before the range: not counted.
      { event_id: 'o0', provider: 'openai', model: 'gpt-4o', input_tokens: 99_000, output_tokens: 0, timestamp: at('2026-11-15', '23:59:59') },
    ]);
    // A second project of the same org counts too: the admin key sees the whole provider organization.
    const second = await json<{ id: string }>(app.request('/api/projects', { token: t.token, body: { name: 'Second' } }));
    const key = await json<{ key: string }>(app.request(`/api/keys?project_id=${second.id}`, { token: t.token, body: { name: 'ingest', scopes: ['ingest'] } }));
    const cost2 = await trackCalls(app, { ...t, apiKey: key.key }, [{ event_id: 'p2', provider: 'openai', model: 'gpt-4o-mini', input_tokens: 1_000, output_tokens: 1_000, timestamp: at('2026-11-17') }]);

    fake.openai['2026-11-16'] = [
      { amount: { value: 0.012345, currency: 'usd' }, line_item: 'gpt-4o-2024-08-06, input', project_id: 'proj_a' },
      { amount: { value: 0.5, currency: 'usd' }, line_item: 'gpt-4o-2024-08-06, output', project_id: 'proj_a' },
      { amount: { value: 0.25, currency: 'usd' }, line_item: 'web search tool calls', project_id: null },
    ];
    fake.openai['2026-11-17'] = [{ amount: { value: 1.0000000015, currency: 'usd' }, line_item: 'gpt-4o-mini, cached input', project_id: 'proj_a' }];
    fake.openai['2026-11-19'] = [{ amount: { value: 0.001, currency: 'usd' }, line_item: 'gpt-4o-mini, input', project_id: 'proj_a' }];
    fake.anthropic['2026-11-16'] = [
      { amount: '1234.5678', currency: 'USD', description: 'Claude Sonnet 4 Usage - Input Tokens', model: 'claude-sonnet-4-20250514', cost_type: 'tokens', token_type: 'uncached_input_tokens', service_tier: 'standard', workspace_id: null },
      { amount: '50', currency: 'USD', description: 'Web Search Usage', model: null, cost_type: 'web_search', token_type: null, service_tier: null, workspace_id: null },
    ];

    expect((await connect(t, 'openai', { admin_key: fake.openaiKey })).status).toBe(200);
    expect((await connect(t, 'anthropic', { admin_key: fake.anthropicKey })).status).toBe(200);
    const before = fake.requests.length;
    const res = await reconcile(t, { from: '2026-11-16', to: '2026-11-20' });
    expect(res.status).toBe(200);
    const result = await json<{ synced: { provider: string; days: number; lines: number; billed_nanos: number }[]; alerts_fired: number; reconciliation: Reconciliation }>(res);
    expect(fake.problems).toEqual([]);
    // Five days, two buckets a page: three pages from each provider.
    const asked = fake.requests.slice(before);
    expect(asked.map((r) => [r.path, r.query.get('page')])).toEqual([
      ['/v1/organizations/cost_report', null], ['/v1/organizations/cost_report', 'page_2'], ['/v1/organizations/cost_report', 'page_4'],
      ['/v1/organization/costs', null], ['/v1/organization/costs', 'page_2'], ['/v1/organization/costs', 'page_4'],
    ]);
    expect(asked[3].query.get('start_time')).toBe(String(Date.parse('2026-11-16T00:00:00Z') / 1000));
    expect(asked[3].query.get('end_time')).toBe(String(Date.parse('2026-11-21T00:00:00Z') / 1000));
    expect(asked[0].query.get('starting_at')).toBe('2026-11-16T00:00:00Z');
    expect(asked[0].query.get('ending_at')).toBe('2026-11-21T00:00:00Z');
    expect(asked[0].headers['anthropic-version']).toBe('2023-06-01');
    expect(result.synced).toEqual([
      { provider: 'anthropic', days: 5, lines: 2, billed: 12.845678, billed_nanos: 12_845_678_000 },
      { provider: 'openai', days: 5, lines: 5, billed: 1.763345002, billed_nanos: 1_763_345_002 },
    ]);
    expect(result.alerts_fired).toBe(0);

    // The GET reads what was stored: the providers are not called again.
    const requests = fake.requests.length;
    const r = await reconciliation(t, 'from=2026-11-16&to=2026-11-20');
    expect(fake.requests.length).toBe(requests);
    expect(r).toEqual(result.reconciliation);
    expect(r.days.map((d) => [d.date, d.provider, d.settled])).toEqual([
      ['2026-11-20', 'anthropic', false], ['2026-11-20', 'openai', false],
      ['2026-11-19', 'anthropic', false], ['2026-11-19', 'openai', false],
      ['2026-11-18', 'anthropic', false], ['2026-11-18', 'openai', false],
      ['2026-11-17', 'anthropic', true], ['2026-11-17', 'openai', true],
      ['2026-11-16', 'anthropic', true], ['2026-11-16', 'openai', true],
    ]);

    const o16 = day(r, '2026-11-16', 'openai');
    const tracked16 = cost.o1 + cost.o2;
    const billed16 = 12_345_000 + 500_000_000 + 250_000_000;
    expect(o16).toMatchObject({ tracked_nanos: tracked16, billed_nanos: billed16, difference_nanos: billed16 - tracked16, difference_pct: Math.round(((billed16 - tracked16) / billed16) * 10_000) / 100, unpriced_calls: 0 });
    expect(o16.models).toEqual([
      expect.objectContaining({
        model: 'gpt-4o', line_item: null, tracked_nanos: tracked16, billed_nanos: 512_345_000, difference_nanos: 512_345_000 - tracked16,
        line_items: [{ line_item: 'gpt-4o-2024-08-06, output', billed: 0.5, billed_nanos: 500_000_000 }, { line_item: 'gpt-4o-2024-08-06, input', billed: 0.012345, billed_nanos: 12_345_000 }],
      }),
      expect.objectContaining({ model: null, line_item: 'web search tool calls', tracked_nanos: 0, billed_nanos: 250_000_000, difference_nanos: 250_000_000 }),
    ]);
    const o17 = day(r, '2026-11-17', 'openai');
    expect(o17).toMatchObject({ tracked_nanos: cost.o3 + cost2.p2, billed_nanos: 1_000_000_002, unpriced_calls: 1 });
    expect(o17.models.map((m) => [m.model, m.tracked_nanos, m.billed_nanos])).toEqual([
      ['gpt-4o-mini', cost.o3 + cost2.p2, 1_000_000_002],
      ['model-nobody-prices', 0, 0],
    ]);
    const a16 = day(r, '2026-11-16', 'anthropic');
    expect(a16).toMatchObject({ tracked_nanos: cost.a1, billed_nanos: 12_845_678_000, difference_nanos: 12_845_678_000 - cost.a1 });
    expect(a16.models.map((m) => [m.model, m.line_item, m.tracked_nanos, m.billed_nanos])).toEqual([
      ['claude-sonnet-4-0', null, cost.a1, 12_345_678_000],
      [null, 'Web Search Usage', 0, 500_000_000],
    ]);
    // A day whose bill was read and is empty was billed nothing.
    expect(day(r, '2026-11-18', 'openai')).toMatchObject({ tracked_nanos: 0, billed_nanos: 0, difference_nanos: 0, difference_pct: null });

    const openai = r.providers.find((p) => p.provider === 'openai');
    const trackedAll = cost.o1 + cost.o2 + cost.o3 + cost2.p2;
    expect(openai).toMatchObject({ days_billed: 5, tracked_nanos: trackedAll, billed_nanos: 1_763_345_002, difference_nanos: 1_763_345_002 - trackedAll, untracked_nanos: Math.max(0, 1_763_345_002 - trackedAll) });

    // Days outside what was read show no bill, and are left out of the totals.
    const wider = await reconciliation(t, 'from=2026-11-15&to=2026-11-16');
    expect(day(wider, '2026-11-15', 'openai')).toMatchObject({ tracked_nanos: cost.o0, billed_nanos: null, difference_nanos: null, difference_pct: null });
    expect(wider.providers.find((p) => p.provider === 'openai')).toMatchObject({ days_billed: 1, tracked_nanos: tracked16, billed_nanos: billed16 });

    // Reading again replaces the stored bill (a provider adjusts a day): nothing counts twice.
    fake.openai['2026-11-16'] = [{ amount: { value: 2, currency: 'usd' }, line_item: 'gpt-4o-2024-08-06, input', project_id: 'proj_a' }];
    expect((await reconcile(t, { from: '2026-11-16', to: '2026-11-16', provider: 'openai' })).status).toBe(200);
    expect(day(await reconciliation(t, 'from=2026-11-16&to=2026-11-16'), '2026-11-16', 'openai')).toMatchObject({ billed_nanos: 2_000_000_000 });
    fake.openai = {};
    fake.anthropic = {};
  });

  it('keeps the admin key secret, checks input, and lets only admins connect or read the bills', async () => {
    const t = await newTenant(app);
    const put = await connect(t, 'openai', { admin_key: 'sk-admin-abcdefghijklmnop-WXYZ', alert_threshold_usd: 25 });
    expect(put.status).toBe(200);
    const listed = await app.request('/api/billing/connections', { token: t.token });
    const text = await listed.text();
    expect(text).not.toContain('abcdefghijklmnop');
    expect(JSON.parse(text).connections).toEqual([
      expect.objectContaining({ provider: 'openai', hint: '...WXYZ', alert_threshold_usd: 25, alert_threshold_pct: null, last_sync_at: null, last_sync_status: null, last_error: null }),
    ]);
    const stored = await app.ctx.db.kysely.selectFrom('billing_connections').select('ciphertext').where('org_id', '=', t.orgId).executeTakeFirstOrThrow();
    expect(stored.ciphertext).not.toContain('abcdefghijklmnop');
    const audit = await app.request('/api/audit-log', { token: t.token });
    expect(await audit.text()).not.toContain('abcdefghijklmnop');

    const bad = async (res: Promise<Response>, status: number, message: RegExp) => {
      const r = await res;
      expect(r.status).toBe(status);
      expect((await json<{ error: { message: string } }>(r)).error.message).toMatch(message);
    };
    await bad(connect(t, 'azure', { admin_key: 'sk-admin-0123456789' }), 400, /provider must be one of openai, anthropic/);
    await bad(connect(t, 'openai', {}), 400, /admin_key is required/);
    await bad(connect(t, 'openai', { admin_key: 'sk-admin-0123456789', alert_threshold_usd: -1 }), 400, /alert_threshold_usd must be more than 0/);
    await bad(reconcile(t, { from: '2026-11-18', to: '2026-11-16' }), 400, /from \(2026-11-18\) is after to \(2026-11-16\)/);
    await bad(reconcile(t, { from: '2026-11-18', to: '2026-11-30' }), 400, /to \(2026-11-30\) is after today/);
    await bad(reconcile(t, { from: '2026-01-01', to: '2026-11-16' }), 400, /at most 93/);
    await bad(reconcile(t, { provider: 'anthropic' }), 404, /no anthropic billing connection/);
    await bad(app.request('/api/billing/reconciliation?from=2026-11-18&to=2026-11-16', { token: t.token }), 400, /from \(2026-11-18\) is after to/);
    await bad(app.request('/api/billing/reconciliation?from=yesterday', { token: t.token }), 400, /^query\.from: /);
    await bad(app.request('/api/billing/connections/anthropic', { method: 'DELETE', token: t.token }), 404, /no anthropic billing connection/);
    await bad(app.request('/api/billing/connections/anthropic', { method: 'PATCH', token: t.token, body: { alert_threshold_pct: 5 } }), 404, /no anthropic billing connection/);

    const viewer = await addMember(app, t.token, 'viewer');
    const member = await addMember(app, t.token, 'member');
    for (const who of [viewer, member]) {
      expect((await app.request('/api/billing/connections/openai', { method: 'PUT', token: who.token, body: { admin_key: 'sk-admin-0123456789' } })).status).toBe(403);
      expect((await app.request('/api/billing/connections/openai', { method: 'DELETE', token: who.token })).status).toBe(403);
      expect((await app.request('/api/billing/reconcile', { token: who.token, body: {} })).status).toBe(403);
      expect((await app.request('/api/billing/reconciliation', { token: who.token })).status).toBe(200);
      const seen = await app.request('/api/billing/connections', { token: who.token });
      expect((await seen.json()).connections[0].hint).toBe('...WXYZ');
    }
    // The project's ingest-and-read key cannot change the org's connections.
    expect((await app.request('/api/billing/connections/openai', { method: 'PUT', token: t.apiKey, body: { admin_key: 'sk-admin-0123456789' } })).status).toBe(403);

    const patched = await json(app.request('/api/billing/connections/openai', { method: 'PATCH', token: t.token, body: { alert_threshold_usd: null, alert_threshold_pct: 12.5 } }));
    expect(patched).toMatchObject({ hint: '...WXYZ', alert_threshold_usd: null, alert_threshold_pct: 12.5 });
    expect((await app.request('/api/billing/connections/openai', { method: 'DELETE', token: t.token })).status).toBe(200);
    expect((await json<{ connections: unknown[] }>(app.request('/api/billing/connections', { token: t.token }))).connections).toEqual([]);
  });

  it("keeps the provider's errors on the connection and answers them: a refused key, a rate limit, an outage", async () => {
    const t = await newTenant(app);
    await connect(t, 'openai', { admin_key: 'sk-admin-wrong-key-0000' });
    let res = await reconcile(t, { provider: 'openai' });
    expect(res.status).toBe(400);
    const refused = (await json<{ error: { message: string } }>(res)).error.message;
    expect(refused).toBe('OpenAI refused the admin key (HTTP 401: Incorrect API key provided): store an admin key of the organization (PUT /api/billing/connections/openai)');
    const conn = async () => (await json<{ connections: { last_sync_status: string | null; last_error: string | null; last_sync_at: string | null; last_success_at: string | null }[] }>(app.request('/api/billing/connections', { token: t.token }))).connections[0];
    expect(await conn()).toMatchObject({ last_sync_status: 'error', last_error: refused, last_sync_at: new Date(NOW).toISOString(), last_success_at: null });

    await connect(t, 'openai', { admin_key: fake.openaiKey });
    expect(await conn()).toMatchObject({ last_sync_status: null, last_error: null });
    fake.failures.push({ status: 429, body: { error: { message: 'Rate limit reached for requests' } }, headers: { 'retry-after': '20' } });
    res = await reconcile(t, { provider: 'openai' });
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('20');
    expect((await json<{ error: { message: string } }>(res)).error.message).toBe('OpenAI rate-limited the cost API (HTTP 429: Rate limit reached for requests); try again in 20 s');

    fake.failures.push({ status: 503, body: { error: { message: 'The server is overloaded' } } });
    res = await reconcile(t, { provider: 'openai' });
    expect(res.status).toBe(502);
    expect((await json<{ error: { message: string } }>(res)).error.message).toBe("OpenAI's cost API answered HTTP 503: The server is overloaded");
    expect(await conn()).toMatchObject({ last_sync_status: 'error', last_error: "OpenAI's cost API answered HTTP 503: The server is overloaded" });

    // A failure on the second page changes nothing stored.
    fake.openai['2026-11-17'] = [{ amount: { value: 3, currency: 'usd' }, line_item: 'gpt-4o, input', project_id: null }];
    expect((await reconcile(t, { provider: 'openai', from: '2026-11-17', to: '2026-11-17' })).status).toBe(200);
    fake.openai['2026-11-17'] = [{ amount: { value: 9, currency: 'usd' }, line_item: 'gpt-4o, input', project_id: null }];
    fake.failures.push({ status: 200, body: { object: 'page', data: [], has_more: true, next_page: 'page_1' } }, { status: 500, body: { error: { message: 'boom' } } });
    expect((await reconcile(t, { provider: 'openai', from: '2026-11-16', to: '2026-11-17' })).status).toBe(502);
    expect(day(await reconciliation(t, 'from=2026-11-17&to=2026-11-17'), '2026-11-17', 'openai').billed_nanos).toBe(3_000_000_000);

    res = await reconcile(t, { provider: 'openai' });
    expect(res.status).toBe(200);
    expect(await conn()).toMatchObject({ last_sync_status: 'ok', last_error: null, last_success_at: new Date(NOW).toISOString() });
    fake.openai = {};
  });

  it('fires one alert per settled day over the threshold, to the org channels, and none for unsettled days', async () => {
    const t = await newTenant(app);
    const receiver = await startReceiver();
    try {
      expect((await app.request('/api/alert-channels', { token: t.token, body: { type: 'webhook', url: receiver.url } })).status).toBe(201);
      const cost = await trackCalls(app, t, [
        { event_id: 'x1', provider: 'anthropic', model: 'claude-sonnet-4-20250514', input_tokens: 1_000, output_tokens: 100, timestamp: at('2026-11-17') },
        { event_id: 'x2', provider: 'anthropic', model: 'claude-sonnet-4-20250514', input_tokens: 1_000, output_tokens: 100, timestamp: at('2026-11-19') },
      ]);
      const line = (amount: string) => [{ amount, currency: 'USD', description: 'Claude Sonnet 4 Usage - Input Tokens', model: 'claude-sonnet-4-20250514', cost_type: 'tokens', token_type: 'uncached_input_tokens', service_tier: 'standard', workspace_id: null }];
      fake.anthropic['2026-11-16'] = line('150'); // $1.50 untracked, under the $2 threshold
      fake.anthropic['2026-11-17'] = line('4100'); // $41 billed against a few cents tracked
      fake.anthropic['2026-11-19'] = line('9000'); // not settled: no alert yet
      await connect(t, 'anthropic', { admin_key: fake.anthropicKey, alert_threshold_usd: 2, alert_threshold_pct: 10 });
      const first = await json<{ alerts_fired: number }>(reconcile(t, { from: '2026-11-16', to: '2026-11-20' }));
      expect(first.alerts_fired).toBe(1);
      await expect.poll(() => receiver.received.length).toBe(1);
      const delivered = JSON.parse(receiver.received[0].body);
      const diff = 41_000_000_000 - cost.x1;
      expect(delivered).toMatchObject({ type: 'reconciliation', data: { provider: 'anthropic', date: '2026-11-17', billed: 41, difference: diff / 1e9, alert_threshold_usd: 2, alert_threshold_pct: 10 } });
      // 1,000 input and 100 output tokens of Claude Sonnet 4 at $3 and $15 a million.
      expect(cost.x1).toBe(4_500_000);
      expect(delivered.message).toBe(
        'Anthropic billed $41.00 on 2026-11-17 (UTC) but LLMLab tracked $0.0045: $41.00 (99.99% of the bill) that LLMLab never saw (calls outside the SDK and proxy, other projects on the Anthropic organization, unpriced models)',
      );

      // Again: the same day does not alert twice.
      expect((await json<{ alerts_fired: number }>(reconcile(t, { from: '2026-11-16', to: '2026-11-20' }))).alerts_fired).toBe(0);
      const alerts = await json<{ alerts: { type: string; period_key: string }[] }>(app.request('/api/alerts', { token: t.token }));
      expect(alerts.alerts.map((a) => [a.type, a.period_key])).toEqual([['reconciliation', '2026-11-17']]);

      // Once the 19th settles, the daily job alerts for it.
      app.setNow(NOW + 2 * 86_400_000);
      try {
        await app.ctx.db.kysely.updateTable('billing_connections').set({ last_sync_at: NOW - 86_400_000 }).where('org_id', '=', t.orgId).execute();
        await runBillingSync(app.ctx);
        await expect.poll(() => receiver.received.length).toBe(2);
        expect(JSON.parse(receiver.received[1].body).data).toMatchObject({ date: '2026-11-19', billed: 90 });
      } finally {
        app.setNow(NOW);
      }
    } finally {
      await receiver.close();
      fake.anthropic = {};
    }
  });

  it('the daily job syncs each due connection once, even with two servers running it at the same time', async () => {
    const t = await newTenant(app);
    await connect(t, 'openai', { admin_key: fake.openaiKey });
    await connect(t, 'anthropic', { admin_key: 'sk-ant-admin-revoked-9999' });
    const others = await app.ctx.db.kysely.selectFrom('billing_connections').select('id').where('org_id', '!=', t.orgId).execute();
    // Only this tenant's connections are due: the others synced just now.
    await app.ctx.db.kysely.updateTable('billing_connections').set({ last_sync_at: NOW, last_sync_status: 'ok' }).where('id', 'in', others.length ? others.map((o) => o.id) : ['none']).execute();
    const before = fake.requests.length;
    const [a, b] = await Promise.all([runBillingSync(app.ctx), runBillingSync(app.ctx)]);
    expect(a + b).toBe(1);
    const asked = fake.requests.slice(before);
    expect(asked.filter((r) => r.path === '/v1/organization/costs').length).toBe(2); // 4 days, 2 a page
    expect(asked.filter((r) => r.path === '/v1/organizations/cost_report').length).toBe(1); // refused at once
    expect(asked.find((r) => r.path === '/v1/organization/costs')?.query.get('start_time')).toBe(String(Date.parse('2026-11-17T00:00:00Z') / 1000));
    const conns = await json<{ connections: { provider: string; last_sync_status: string; last_error: string | null }[] }>(app.request('/api/billing/connections', { token: t.token }));
    expect(conns.connections.map((c) => [c.provider, c.last_sync_status, c.last_error])).toEqual([
      ['anthropic', 'error', 'Anthropic refused the admin key (HTTP 401: invalid x-api-key): store an admin key of the organization (PUT /api/billing/connections/anthropic)'],
      ['openai', 'ok', null],
    ]);
    // Synced a moment ago: not due again.
    expect(await runBillingSync(app.ctx)).toBe(0);
  });

  it("shows one org nothing of another's connections, bills or calls", async () => {
    const a = await newTenant(app);
    const b = await newTenant(app);
    await trackCalls(app, b, [{ event_id: 'b1', provider: 'openai', model: 'gpt-4o', input_tokens: 5_000, output_tokens: 500, timestamp: at('2026-11-17') }]);
    fake.openai['2026-11-17'] = [{ amount: { value: 7, currency: 'usd' }, line_item: 'gpt-4o, input', project_id: null }];
    await connect(a, 'openai', { admin_key: fake.openaiKey });
    expect((await reconcile(a, { from: '2026-11-17', to: '2026-11-17' })).status).toBe(200);
    const mine = await reconciliation(a, 'from=2026-11-17&to=2026-11-17');
    expect(day(mine, '2026-11-17', 'openai')).toMatchObject({ tracked_nanos: 0, billed_nanos: 7_000_000_000 });
    expect(await reconciliation(b, 'from=2026-11-17&to=2026-11-17')).toEqual({ from: '2026-11-17', to: '2026-11-17', providers: [], days: [] });
    expect((await json<{ connections: unknown[] }>(app.request('/api/billing/connections', { token: b.token }))).connections).toEqual([]);
    expect((await app.request('/api/billing/connections/openai', { method: 'DELETE', token: b.token })).status).toBe(404);
    expect((await reconcile(b, {})).status).toBe(404);
    fake.openai = {};
  });
});
