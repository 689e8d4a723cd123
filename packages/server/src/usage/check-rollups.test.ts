import { execFile } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { HOUR_MS } from '@llmlab/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, newTenant, type TestTenant } from '../../test/helpers/accounts.js';
import { databases } from '../../test/helpers/databases.js';
import { createTestApp, type TestApp } from '../../test/helpers/test-app.js';
import { checkRollups } from './check-rollups.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
const run = promisify(execFile);

/** `npm run check:rollups` as a user runs it (tsx on the script), with its exit code and output. */
async function checkRollupsCommand(args: string[]): Promise<{ code: number; stdout: string }> {
  try {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'packages/server/src/scripts/check-rollups.ts', ...args], { cwd: repoRoot });
    return { code: 0, stdout };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout + e.stderr };
  }
}

interface RollupCheckBody {
  project_id: string;
  consistent: boolean;
  keys_checked: number;
  events_counted: number;
  difference_count: number;
  differences: { key: { hour: string; provider: string; model: string; feature: string | null; service_tier: string }; field: string; stored: number; recomputed: number }[];
}

const HOUR = Math.floor(Date.now() / HOUR_MS) * HOUR_MS - 5 * HOUR_MS;

describe.each(databases())('rollup consistency check on $name', ({ url }) => {
  let app: TestApp;
  let a: TestTenant;
  let b: TestTenant;
  const check = (t: TestTenant, token = t.token) => app.request('/api/admin/rollup-check', { token });

  beforeAll(async () => {
    app = await createTestApp(url);
    [a, b] = [await newTenant(app), await newTenant(app)];
    const events = [
      { provider: 'openai', model: 'gpt-4o', input_tokens: 1000, output_tokens: 500, feature: 'chat', latency_ms: 800, timestamp: HOUR + 60_000 },
      { provider: 'openai', model: 'gpt-4o', input_tokens: 2000, output_tokens: 100, feature: 'chat', latency_ms: 300, status: 'error', timestamp: HOUR + 120_000 },
      { provider: 'openai', model: 'gpt-4o-mini', input_tokens: 300, output_tokens: 30, cached_input_tokens: 100, timestamp: HOUR + HOUR_MS },
      { provider: 'anthropic', model: 'claude-3-haiku', input_tokens: 50, output_tokens: 5, feature: 'summarize', timestamp: HOUR + 2 * HOUR_MS },
      { provider: 'openai', model: 'model-nobody-prices', input_tokens: 10, output_tokens: 10, timestamp: HOUR + 2 * HOUR_MS },
    ];
    for (const t of [a, b]) {
      const res = await app.request('/api/events/batch', { token: t.apiKey, body: { events } });
      expect(res.status).toBe(200);
    }
  });
  afterAll(() => app?.close());

  it('finds the rollups written by ingest equal to a recount of the events', async () => {
    const res = await check(a);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ project_id: a.projectId, consistent: true, keys_checked: 4, events_counted: 5, difference_count: 0, differences: [] });
  });

  it('is an admin route of the caller\'s own project', async () => {
    const byKey = await check(a, a.apiKey);
    expect(byKey.status).toBe(403);
    expect((await byKey.json()).error.message).toBe('this credential lacks the "admin" scope');
    const other = await app.request(`/api/admin/rollup-check?project_id=${a.projectId}`, { token: b.token });
    expect(other.status).toBe(404);
  });

  it('reports every field that differs, with its key, and repair rewrites the rollups from the events', async () => {
    const db = app.ctx.db.kysely;
    await db.updateTable('usage_hourly').set((eb) => ({ calls: eb('calls', '+', 2), cost_nanos: eb('cost_nanos', '-', 7) })).where('project_id', '=', a.projectId).where('model', '=', 'gpt-4o').execute();
    await db.deleteFrom('usage_hourly').where('project_id', '=', a.projectId).where('model', '=', 'claude-3-haiku').execute();
    await db.insertInto('usage_hourly').values({
      project_id: a.projectId, hour: HOUR, provider: 'openai', model: 'phantom', feature: '', service_tier: 'standard', calls: 3, error_calls: 0, input_tokens: 0,
      output_tokens: 0, cached_input_tokens: 0, cache_write_tokens: 0, reasoning_tokens: 0, cost_nanos: 0, unpriced_calls: 0, latency_ms_sum: 0, cache_hits: 0, saved_nanos: 0,
    }).execute();

    const body = await json<RollupCheckBody>(check(a));
    const chat = { hour: new Date(HOUR).toISOString(), provider: 'openai', model: 'gpt-4o', feature: 'chat', service_tier: 'standard' };
    const haiku = { hour: new Date(HOUR + 2 * HOUR_MS).toISOString(), provider: 'anthropic', model: 'claude-3-haiku', feature: 'summarize', service_tier: 'standard' };
    // gpt-4o at $2.50 / $10 per million: 1000 x 2500 + 500 x 10000 + 2000 x 2500 + 100 x 10000 nanos.
    const chatCost = 2_500_000 + 5_000_000 + 5_000_000 + 1_000_000;
    // claude-3-haiku at $0.25 / $1.25 per million: 50 x 250 + 5 x 1250 nanos.
    const haikuCost = 12_500 + 6_250;
    expect(body.consistent).toBe(false);
    expect(body.differences).toEqual([
      { key: chat, field: 'calls', stored: 4, recomputed: 2 },
      { key: chat, field: 'cost_nanos', stored: chatCost - 7, recomputed: chatCost },
      { key: { hour: new Date(HOUR).toISOString(), provider: 'openai', model: 'phantom', feature: null, service_tier: 'standard' }, field: 'calls', stored: 3, recomputed: 0 },
      { key: haiku, field: 'calls', stored: 0, recomputed: 1 },
      { key: haiku, field: 'input_tokens', stored: 0, recomputed: 50 },
      { key: haiku, field: 'output_tokens', stored: 0, recomputed: 5 },
      { key: haiku, field: 'cost_nanos', stored: 0, recomputed: haikuCost },
    ]);
    expect(await json<RollupCheckBody>(check(b))).toMatchObject({ consistent: true, events_counted: 5 });

    const repaired = await checkRollups({ db: app.ctx.db, input: { projectId: a.projectId, repair: true } });
    expect(repaired).toMatchObject({ repaired: true, events_counted: 5 });
    expect(repaired.differences).toHaveLength(7);
    expect(await json<RollupCheckBody>(check(a))).toMatchObject({ consistent: true, difference_count: 0, events_counted: 5 });
    expect(await json<RollupCheckBody>(check(b))).toMatchObject({ consistent: true, events_counted: 5 });
    const { events } = await json<{ events: { cost_nanos: number | null }[] }>(app.request('/api/events', { token: a.apiKey }));
    const recount = events.reduce((n, e) => n + (e.cost_nanos ?? 0), 0);
    const summary = await json<{ total_spend: number; calls: number; unpriced_calls: number }>(app.request('/api/costs/summary?days=2', { token: a.apiKey }));
    expect(summary).toMatchObject({ total_spend: recount / 1e9, calls: 5, unpriced_calls: 1 });
  });

  it('runs as `npm run check:rollups`: lists differences with exit code 1, repairs with --repair', async () => {
    const databaseUrl = app.ctx.config.databaseUrl;
    await app.ctx.db.kysely.updateTable('usage_hourly').set((eb) => ({ output_tokens: eb('output_tokens', '+', 1) })).where('project_id', '=', b.projectId).where('model', '=', 'gpt-4o-mini').execute();
    const found = await checkRollupsCommand(['--database-url', databaseUrl, '--project', b.projectId]);
    expect(found.code).toBe(1);
    expect(found.stdout).toContain(`${b.projectId} ${new Date(HOUR + HOUR_MS).toISOString()} openai/gpt-4o-mini feature=(none) tier=standard output_tokens: stored 31, recomputed 30`);
    expect(found.stdout).toContain('1 difference(s)');
    const fixed = await checkRollupsCommand(['--database-url', databaseUrl, '--project', b.projectId, '--repair']);
    expect(fixed).toEqual({ code: 0, stdout: expect.stringContaining('1 difference(s); rollups rewritten from the events') });
    expect(await json<RollupCheckBody>(check(b))).toMatchObject({ consistent: true, keys_checked: 4, events_counted: 5 });
  });
});

describe('npm run check:rollups without a database', () => {
  it('exits 2 naming the missing file instead of creating an empty database', async () => {
    const missing = resolve(repoRoot, 'no-such-folder', 'llmlab.db');
    const r = await checkRollupsCommand(['--database-url', `sqlite:${missing}`]);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain(`no database at ${missing}`);
  });
});
