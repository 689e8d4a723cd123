import { DAY_MS, HOUR_MS } from '@llmlab/core';
import { describe, expect, it } from 'vitest';
import { addMember, json, newTenant, type TestTenant } from '../../test/helpers/accounts.js';
import { databases } from '../../test/helpers/databases.js';
import { useOwnDatabase } from '../../test/helpers/own-database.js';
import { type TestApp, useTestApp } from '../../test/helpers/test-app.js';
import { checkRollups } from '../usage/check-rollups.js';

const NOW = Date.parse('2026-11-27T12:30:00Z');
// The 30-day retention removes the events before this instant: now minus 30 days.
const CUTOFF = Date.parse('2026-10-28T12:30:00Z');
const MODELS = [
  ['openai', 'gpt-4o'],
  ['openai', 'gpt-4o-mini'],
  ['anthropic', 'claude-3-haiku'],
  ['openai', 'model-nobody-prices'],
] as const;

interface Sent {
  event_id: string;
  ts: number;
}

/** Three calls a day for 90 days, and one just after the 30-day cutoff: four models (one unpriced), three features, four end users, some errors and cached input. */
function ninetyDays(tag: string) {
  const events = [];
  for (let d = 0; d < 90; d++) {
    for (let k = 0; k < 3; k++) {
      const [provider, model] = MODELS[(d + k) % MODELS.length];
      const ts = NOW - d * DAY_MS - k * 7 * HOUR_MS - 13 * 60_000;
      events.push({
        event_id: `${tag}-${d}-${k}`,
        provider,
        model,
        input_tokens: 1000 + 37 * d + k,
        output_tokens: 100 + 11 * k + d,
        cached_input_tokens: d % 5 === 0 ? 200 : 0,
        feature: ['chat', 'search', undefined][k],
        user_id: `customer-${d % 4}`,
        status: d % 9 === 0 ? 'error' : 'success',
        latency_ms: 200 + d,
        timestamp: new Date(ts).toISOString(),
        ts,
      });
    }
  }
  // Ten minutes after the cutoff, in the hour of a call before it: that hour keeps part of its events.
  const edge = CUTOFF + 10 * 60_000;
  events.push({ ...events[0], event_id: `${tag}-edge`, timestamp: new Date(edge).toISOString(), ts: edge });
  return events;
}

/** An OTLP/HTTP JSON export of one OpenAI call ending at `ts`. */
function otlpCall(traceId: string, ts: number) {
  const attr = (key: string, value: string | number) => ({ key, value: typeof value === 'number' ? { intValue: value } : { stringValue: value } });
  return {
    resourceSpans: [{
      resource: { attributes: [attr('service.name', 'retention-test')] },
      scopeSpans: [{
        spans: [{
          traceId, spanId: 'a1b2c3d4e5f60718', name: 'chat gpt-4o',
          startTimeUnixNano: String((ts - 500) * 1e6), endTimeUnixNano: String(ts * 1e6),
          attributes: [attr('gen_ai.operation.name', 'chat'), attr('gen_ai.provider.name', 'openai'), attr('gen_ai.request.model', 'gpt-4o'), attr('gen_ai.usage.input_tokens', 40), attr('gen_ai.usage.output_tokens', 4)],
        }],
      }],
    }],
  };
}

/** Everything a user sees of the project's totals: the answers built from rollups, and the rollup rows themselves. */
async function totals(app: TestApp, t: TestTenant) {
  const range = `from=${new Date(NOW - 95 * DAY_MS).toISOString()}&to=${new Date(NOW + HOUR_MS).toISOString()}`;
  const get = (path: string) => json(app.request(path, { token: t.token }));
  return {
    summary: await get('/api/costs/summary?days=366'),
    byModel: await get(`/api/costs/breakdown?${range}&group_by=model`),
    byFeature: await get(`/api/costs/timeseries?${range}&group_by=feature`),
    forecast: await get('/api/costs/forecast'),
    rollups: await app.ctx.db.kysely.selectFrom('usage_hourly').selectAll().where('project_id', '=', t.projectId).orderBy('hour').orderBy('provider').orderBy('model').orderBy('feature').execute(),
  };
}

const storedEvents = (app: TestApp, t: TestTenant) => app.ctx.db.kysely.selectFrom('events').select(['event_id', 'ts']).where('project_id', '=', t.projectId).orderBy('ts').execute();

describe.each(databases())('retention of raw events on $name', (db) => {
  // Servers other suites start on the shared database run the retention job with the real clock.
  const app = useTestApp(useOwnDatabase(db), NOW);
  const patch = (t: TestTenant, body: unknown, token = t.token) => app.request(`/api/projects/${t.projectId}`, { method: 'PATCH', token, body });
  const apply = (token: string) => app.request('/api/admin/retention/apply', { method: 'POST', token });

  async function tenantWithHistory(tag: string): Promise<{ t: TestTenant; sent: Sent[] }> {
    const t = await newTenant(app);
    const events = ninetyDays(tag);
    const res = await app.request('/api/events/batch', { token: t.apiKey, body: { events: events.map(({ ts: _, ...e }) => e) } });
    expect(res.status).toBe(200);
    return { t, sent: events.map((e) => ({ event_id: e.event_id, ts: e.ts })) };
  }

  it('keeps 30 of 90 days of raw events and every total to the nanodollar; the rollup check finds no difference', async () => {
    const { t, sent } = await tenantWithHistory('ninety');
    for (const [trace, ts] of [['0af7651916cd43dd8448eb211c80319c', NOW - 60 * DAY_MS], ['1bf7651916cd43dd8448eb211c80319d', NOW - DAY_MS]] as const) {
      const res = await app.request('/v1/traces', { headers: { 'x-llmlab-key': t.apiKey }, body: otlpCall(trace, ts) });
      expect(res.status).toBe(200);
    }
    const expired = sent.filter((e) => e.ts < CUTOFF).length + 1;
    expect(expired).toBeGreaterThan(150);
    const before = await totals(app, t);
    expect((before.summary as { calls: number }).calls).toBe(273);
    expect((before.summary as { total_spend_nanos: number }).total_spend_nanos).toBeGreaterThan(0);

    const set = await patch(t, { retention_days: 30 });
    expect(set.status).toBe(200);
    expect(await set.json()).toMatchObject({ id: t.projectId, retention_days: 30, raw_events_since: null });
    // Setting it removes nothing by itself: the job (or an apply) does.
    expect(await storedEvents(app, t)).toHaveLength(273);

    expect(await json(apply(t.token))).toEqual({ deleted: expired });

    const after = await totals(app, t);
    expect(after).toEqual(before);
    const kept = await storedEvents(app, t);
    expect(kept).toHaveLength(273 - expired);
    expect(kept.every((e) => e.ts >= CUTOFF)).toBe(true);
    expect(kept.map((e) => e.event_id).sort()).toEqual([...sent.filter((e) => e.ts >= CUTOFF).map((e) => e.event_id), 'otlp:1bf7651916cd43dd8448eb211c80319d:a1b2c3d4e5f60718'].sort());
    // The OTLP span of the removed call went with it; the recent one stays, so a re-export of it is still recognised.
    const spans = await app.ctx.db.kysely.selectFrom('otlp_call_spans').select('trace_id').where('project_id', '=', t.projectId).execute();
    expect(spans).toEqual([{ trace_id: '1bf7651916cd43dd8448eb211c80319d' }]);

    // The check recounts whole hours after the cutoff: the kept call in the hour the cutoff falls in is left out with its hour.
    const check = await json<{ consistent: boolean; difference_count: number; events_counted: number }>(app.request('/api/admin/rollup-check', { token: t.token }));
    expect(check).toMatchObject({ consistent: true, difference_count: 0, events_counted: 273 - expired - 1 });
    expect(await json(app.request('/api/projects', { token: t.apiKey }))).toEqual({
      projects: [expect.objectContaining({ id: t.projectId, retention_days: 30, raw_events_since: new Date(CUTOFF).toISOString() })],
    });
    // Nothing is left to remove: a second run removes nothing and changes nothing.
    expect(await json(apply(t.token))).toEqual({ deleted: 0 });
    expect(await totals(app, t)).toEqual(before);
  });

  it('says which range the raw-event answers still cover; answers from rollups cover everything', async () => {
    const { t } = await tenantWithHistory('cover');
    await patch(t, { retention_days: 30 });
    const byUserBefore = await json<{ total_nanos: number; raw_events_since: string | null }>(app.request('/api/costs/breakdown?days=90&group_by=user', { token: t.token }));
    expect(byUserBefore.raw_events_since).toBeNull();
    await apply(t.token);
    const since = new Date(CUTOFF).toISOString();

    const page = await json<{ events: { ts: number }[]; raw_events_since: string | null }>(app.request('/api/events?limit=1000', { token: t.apiKey }));
    expect(page.raw_events_since).toBe(since);
    expect(Math.min(...page.events.map((e) => e.ts))).toBeGreaterThanOrEqual(CUTOFF);
    const recent = await json<{ raw_events_since: string | null }>(app.request(`/api/events?from=${new Date(CUTOFF).toISOString()}`, { token: t.apiKey }));
    expect(recent.raw_events_since).toBeNull();

    const exported = await app.request('/api/export?format=csv', { token: t.apiKey });
    expect(exported.headers.get('x-llmlab-raw-events-since')).toBe(since);
    expect((await exported.text()).trim().split('\r\n')).toHaveLength(1 + page.events.length);
    const lastWeek = await app.request(`/api/export?format=csv&from=${new Date(NOW - 7 * DAY_MS).toISOString()}`, { token: t.apiKey });
    expect(lastWeek.headers.get('x-llmlab-raw-events-since')).toBeNull();

    const byUser = await json<{ total_nanos: number; raw_events_since: string | null }>(app.request('/api/costs/breakdown?days=90&group_by=user', { token: t.token }));
    expect(byUser.raw_events_since).toBe(since);
    expect(byUser.total_nanos).toBeLessThan(byUserBefore.total_nanos);
    const byModel = await json<{ total_nanos: number; raw_events_since: string | null }>(app.request('/api/costs/breakdown?days=90&group_by=model', { token: t.token }));
    expect(byModel).toMatchObject({ raw_events_since: null, total_nanos: byUserBefore.total_nanos });
    const userSeries = await json<{ raw_events_since: string | null }>(app.request('/api/costs/timeseries?days=90&user_id=customer-1', { token: t.token }));
    expect(userSeries.raw_events_since).toBe(since);
    const lastWeekByUser = await json<{ raw_events_since: string | null }>(app.request('/api/costs/breakdown?days=7&group_by=user', { token: t.token }));
    expect(lastWeekByUser.raw_events_since).toBeNull();

    const gone = await app.request('/api/events/cover-60-0', { token: t.apiKey });
    expect(gone.status).toBe(404);
    expect((await gone.json()).error.message).toBe(`event cover-60-0 not found (retention removed the project's raw events before ${since})`);
  });

  it('answers {deleted} to admins only, and audits a run that removed events with the retention change', async () => {
    const { t, sent } = await tenantWithHistory('admins');
    await patch(t, { retention_days: 30 });
    const member = await addMember(app, t.token, 'member');
    const refusals = [
      [t.apiKey, 'this credential lacks the "admin" scope'],
      [member.token, 'this needs the admin role (you are member)'],
    ] as const;
    for (const [token, message] of refusals) {
      const res = await apply(token);
      expect(res.status).toBe(403);
      expect((await res.json()).error.message).toBe(message);
    }
    expect(await storedEvents(app, t)).toHaveLength(271);

    const adminKey = await json<{ key: string; prefix: string }>(app.request('/api/keys', { token: t.token, body: { name: 'ops', scopes: ['admin'] } }));
    const expired = sent.filter((e) => e.ts < CUTOFF).length;
    expect(await json(apply(adminKey.key))).toEqual({ deleted: expired });
    expect(await json(apply(adminKey.key))).toEqual({ deleted: 0 });

    const log = await json<{ entries: { action: string; actor: { key_prefix: string | null }; project_id: string; before: unknown; after: unknown }[] }>(
      app.request('/api/audit-log?limit=10', { token: t.token }),
    );
    const retention = log.entries.filter((e) => e.action === 'retention.applied' || (e.action === 'project.updated' && e.project_id === t.projectId));
    // Newest first: one entry for the run that removed events, none for the one that removed nothing.
    expect(retention).toMatchObject([
      { action: 'retention.applied', actor: { key_prefix: adminKey.prefix }, project_id: t.projectId, before: null, after: { deleted: expired, retention_days: 30, removed_before: new Date(CUTOFF).toISOString() } },
      { action: 'project.updated', project_id: t.projectId, before: { retention_days: null }, after: { retention_days: 30 } },
    ]);
  });

  it('refuses a retention that is not 1 to 3650 whole days or null with a 400, changing nothing', async () => {
    const t = await newTenant(app);
    const auditCount = async () => (await app.ctx.db.kysely.selectFrom('audit_log').select('id').where('org_id', '=', t.orgId).execute()).length;
    const logged = await auditCount();
    const rule = 'retention_days must be a whole number of days from 1 to 3650, or null to keep raw events forever';
    const bad: [unknown, string][] = [
      [{ retention_days: 0 }, `retention_days: ${rule}`],
      [{ retention_days: 3651 }, `retention_days: ${rule}`],
      [{ retention_days: -30 }, `retention_days: ${rule}`],
      [{ retention_days: 1.5 }, `retention_days: ${rule}`],
      [{ retention_days: '30' }, `retention_days: ${rule}`],
      [{ retention_days: true }, `retention_days: ${rule}`],
      [{}, 'send name, retention_days or both'],
      [{ retention_days: 30, keep: 'forever' }, expect.stringContaining('keep') as unknown as string],
      [{ name: '', retention_days: 30 }, 'name: name must not be empty'],
    ];
    for (const [body, message] of bad) {
      const res = await patch(t, body);
      expect({ body, status: res.status }).toEqual({ body, status: 400 });
      expect((await res.json()).error.message).toEqual(message);
    }
    expect(await json(app.request('/api/projects', { token: t.token }))).toEqual({ projects: [expect.objectContaining({ name: 'Default', retention_days: null, raw_events_since: null })] });
    expect(await auditCount()).toBe(logged);

    expect(await json(patch(t, { retention_days: 3650 }))).toMatchObject({ name: 'Default', retention_days: 3650 });
    expect(await json(patch(t, { retention_days: 1, name: 'Prod' }))).toMatchObject({ name: 'Prod', retention_days: 1 });
    expect(await json(patch(t, { retention_days: null }))).toMatchObject({ name: 'Prod', retention_days: null });
    expect(await json(patch(t, { name: 'Prod 2' }))).toMatchObject({ name: 'Prod 2', retention_days: null });
    // A project keeping raw events forever has nothing to remove.
    expect(await json(apply(t.token))).toEqual({ deleted: 0 });
    expect((await patch(t, { retention_days: 30 }, t.apiKey)).status).toBe(403);
  });

  it('keeps the raw events of budgets that read them for their whole current period', async () => {
    const { t, sent } = await tenantWithHistory('budgets');
    const created = await app.request('/api/budgets', { token: t.token, body: { name: 'Each customer', amount: 100, period: 'monthly', per: 'end_user' } });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const usage = () => json(app.request(`/api/budgets/${id}/usage`, { token: t.token }));
    const before = await usage();
    await patch(t, { retention_days: 1 });
    const monthStart = Date.parse('2026-11-01T00:00:00Z');
    expect(await json(apply(t.token))).toEqual({ deleted: sent.filter((e) => e.ts < monthStart).length });
    // The month's spend per customer is still read from every one of its events.
    expect(await usage()).toEqual(before);
    expect((await storedEvents(app, t))[0].ts).toBeGreaterThanOrEqual(monthStart);
    expect(await json(app.request('/api/projects', { token: t.apiKey }))).toMatchObject({ projects: [{ raw_events_since: new Date(monthStart).toISOString() }] });
  });

  it('repairs rollups from the kept events without touching the hours only the rollups hold', async () => {
    const { t } = await tenantWithHistory('repair');
    await patch(t, { retention_days: 30 });
    await apply(t.token);
    const { rollups } = await totals(app, t);
    const kysely = app.ctx.db.kysely;
    await kysely.updateTable('usage_hourly').set((eb) => ({ calls: eb('calls', '+', 5) })).where('project_id', '=', t.projectId).where('hour', '=', Math.floor((NOW - DAY_MS) / HOUR_MS) * HOUR_MS).execute();
    const repaired = await checkRollups({ db: app.ctx.db, input: { projectId: t.projectId, repair: true } });
    expect(repaired).toMatchObject({ repaired: true, differences: [expect.objectContaining({ field: 'calls', recomputed: 1 })] });
    expect((await totals(app, t)).rollups).toEqual(rollups);
  });
});
