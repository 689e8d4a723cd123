import { DAY_MS, HOUR_MS } from '@llmlab/core';
import { describe, expect, it } from 'vitest';
import { json, newTenant, type TestTenant } from '../../test/helpers/accounts.js';
import { databases } from '../../test/helpers/databases.js';
import { useOwnDatabase } from '../../test/helpers/own-database.js';
import { type TestApp, useTestApp } from '../../test/helpers/test-app.js';
import type { AppContext, Logger } from '../context.js';
import { openDatabase } from '../db/database.js';
import { removeExpiredEvents } from './remove-expired-events.js';
import { startRetentionScheduler } from './scheduler.js';

const NOW = Date.parse('2026-11-27T12:30:00Z');
const CUTOFF = Date.parse('2026-10-28T12:30:00Z');

/** `old` calls before the 30-day cutoff (one every 6 hours back from it) and `recent` ones after it. */
async function tenantWith(app: TestApp, tag: string, old: number, recent: number, retentionDays: number | null): Promise<TestTenant> {
  const t = await newTenant(app);
  const at = (ts: number, i: number) => ({ event_id: `${tag}-${i}`, provider: 'openai', model: 'gpt-4o-mini', input_tokens: 500 + i, output_tokens: 50, timestamp: new Date(ts).toISOString() });
  const events = [
    ...Array.from({ length: old }, (_, i) => at(CUTOFF - (i + 1) * 6 * HOUR_MS, i)),
    ...Array.from({ length: recent }, (_, i) => at(NOW - (i + 1) * HOUR_MS, old + i)),
  ];
  for (let i = 0; i < events.length; i += 1000) {
    expect((await app.request('/api/events/batch', { token: t.apiKey, body: { events: events.slice(i, i + 1000) } })).status).toBe(200);
  }
  if (retentionDays !== null) {
    expect((await app.request(`/api/projects/${t.projectId}`, { method: 'PATCH', token: t.token, body: { retention_days: retentionDays } })).status).toBe(200);
  }
  return t;
}

const countEvents = async (app: TestApp, t: TestTenant) =>
  Number((await app.ctx.db.kysely.selectFrom('events').select((eb) => eb.fn.countAll<number>().as('n')).where('project_id', '=', t.projectId).executeTakeFirstOrThrow()).n);

const rollups = (app: TestApp, t: TestTenant) => app.ctx.db.kysely.selectFrom('usage_hourly').selectAll().where('project_id', '=', t.projectId).orderBy('hour').execute();

/** A logger that keeps what it is told. */
function recordingLog(): Logger & { lines: { msg: string; fields?: Record<string, unknown> }[] } {
  const lines: { msg: string; fields?: Record<string, unknown> }[] = [];
  const keep = (msg: string, fields?: Record<string, unknown>) => void lines.push({ msg, fields });
  return { lines, info: keep, warn: keep, error: keep };
}

describe.each(databases())('the retention job on $name', (db) => {
  // The job walks every project of its database: this suite has a database of its own.
  const own = useOwnDatabase(db);
  const app = useTestApp(own, NOW);

  it('removes each project\'s expired events hourly in batches of the size given, and leaves projects without retention alone', async () => {
    const trimmed = await tenantWith(app, 'trim', 20, 5, 30);
    const forever = await tenantWith(app, 'forever', 20, 5, null);
    const longer = await tenantWith(app, 'longer', 20, 5, 365);
    const kept = { forever: await rollups(app, forever), trimmed: await rollups(app, trimmed) };
    const log = recordingLog();
    const ctx: AppContext = { ...app.ctx, log };
    const job = startRetentionScheduler(ctx, { firstRunMs: 0, intervalMs: 60_000, batchSize: 7, pauseMs: 0 });
    try {
      await expect.poll(() => log.lines.length, { timeout: 10_000 }).toBe(1);
    } finally {
      await job.stop();
    }
    // 20 events, at most 7 per statement: 7 + 7 + 6.
    expect(log.lines).toEqual([
      { msg: 'retention removed raw events', fields: { project_id: trimmed.projectId, deleted: 20, batches: 3, removed_before: new Date(CUTOFF).toISOString() } },
    ]);
    expect(await countEvents(app, trimmed)).toBe(5);
    expect(await countEvents(app, forever)).toBe(25);
    expect(await countEvents(app, longer)).toBe(25);
    expect(await rollups(app, trimmed)).toEqual(kept.trimmed);
    expect(await rollups(app, forever)).toEqual(kept.forever);
  });

  it('stops between batches when the server closes, and the next run finishes the work', async () => {
    const t = await tenantWith(app, 'stopped', 30, 2, 30);
    const abort = new AbortController();
    abort.abort();
    const first = await removeExpiredEvents({ db: app.ctx.db, input: { projectId: t.projectId, now: NOW, batchSize: 4, pauseMs: 0, signal: abort.signal } });
    expect(first).toMatchObject({ deleted: 4, batches: 1 });
    const rest = await removeExpiredEvents({ db: app.ctx.db, input: { projectId: t.projectId, now: NOW, batchSize: 4, pauseMs: 0 } });
    expect(rest).toMatchObject({ deleted: 26, batches: 7 });
    expect(await countEvents(app, t)).toBe(2);
  });

  it('counts each event once when two applies run at once', async () => {
    const t = await tenantWith(app, 'twice', 300, 10, 30);
    const apply = (a: TestApp) => a.request('/api/admin/retention/apply', { method: 'POST', token: t.token });
    const answers = await Promise.all([apply(app), apply(app)]);
    expect(answers.map((r) => r.status)).toEqual([200, 200]);
    const deleted = await Promise.all(answers.map((r) => r.json() as Promise<{ deleted: number }>));
    expect(deleted[0].deleted + deleted[1].deleted).toBe(300);
    expect(await countEvents(app, t)).toBe(10);
    const check = await json<{ consistent: boolean }>(app.request('/api/admin/rollup-check', { token: t.token }));
    expect(check.consistent).toBe(true);
  });

  it('keeps events written during a run, and keeps the rollups of late old events', async () => {
    const t = await tenantWith(app, 'late', 50, 0, 30);
    const late = { provider: 'openai', model: 'gpt-4o-mini', input_tokens: 10, output_tokens: 1 };
    const [run] = await Promise.all([
      removeExpiredEvents({ db: app.ctx.db, input: { projectId: t.projectId, now: NOW, batchSize: 5, pauseMs: 1 } }),
      app.request('/api/events/batch', { token: t.apiKey, body: { events: [{ ...late, event_id: 'new', timestamp: new Date(NOW - 60_000).toISOString() }] } }),
    ]);
    expect(run.deleted).toBe(50);
    expect(await countEvents(app, t)).toBe(1);
    // An old event arriving after the run is counted in its hour; the next run removes its raw row, not its total.
    await app.request('/api/events/batch', { token: t.apiKey, body: { events: [{ ...late, event_id: 'backfill', timestamp: new Date(CUTOFF - 40 * DAY_MS).toISOString() }] } });
    const before = await rollups(app, t);
    expect((await json<{ consistent: boolean }>(app.request('/api/admin/rollup-check', { token: t.token }))).consistent).toBe(true);
    expect(await json(app.request('/api/admin/retention/apply', { method: 'POST', token: t.token }))).toEqual({ deleted: 1 });
    expect(await rollups(app, t)).toEqual(before);
    expect((await json<{ consistent: boolean }>(app.request('/api/admin/rollup-check', { token: t.token }))).consistent).toBe(true);
  });
});

// Several servers share a PostgreSQL; a SQLite file has one server, its only writer.
describe.each(databases().filter((d) => d.url !== undefined))('the retention job of two servers on $name', (db) => {
  const app = useTestApp(useOwnDatabase(db), NOW);

  it('shares the work between two servers on one database, in small batches, without double counting', async () => {
    const t = await tenantWith(app, 'shared', 400, 10, 30);
    const before = await rollups(app, t);
    // A second server: its own connection pool on the same database.
    const second = openDatabase(app.ctx.config.databaseUrl);
    try {
      const runs = await Promise.all(
        [app.ctx.db, second].map((d) => removeExpiredEvents({ db: d, input: { projectId: t.projectId, now: NOW, batchSize: 9, pauseMs: 0 } })),
      );
      expect(runs[0].deleted + runs[1].deleted).toBe(400);
      // Every batch removed at most 9 events.
      expect(runs[0].batches + runs[1].batches).toBeGreaterThanOrEqual(Math.ceil(400 / 9));
    } finally {
      await second.close();
    }
    expect(await countEvents(app, t)).toBe(10);
    expect(await rollups(app, t)).toEqual(before);
  });
});
