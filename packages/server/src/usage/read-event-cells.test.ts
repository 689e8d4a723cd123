import { describe, expect, it } from 'vitest';
import { newTenant, type TestTenant } from '../../test/helpers/accounts.js';
import { databases } from '../../test/helpers/databases.js';
import { useTestApp } from '../../test/helpers/test-app.js';
import type { TenantContext } from '../context.js';
import { OTHER_USERS, readEventCells } from './read-event-cells.js';

const NOW = Date.parse('2026-11-27T12:00:00Z');
const MINUTE = 60_000;
const DAY = 86_400_000;

describe.each(databases())('spend by end user and API key from the latest raw events on $name', ({ url }) => {
  const app = useTestApp({ url }, NOW);
  const as = (t: TestTenant): TenantContext => ({ ...app.ctx, actor: { kind: 'api_key', orgId: t.orgId, projectId: t.projectId, scopes: new Set(['read']) } });

  /** 30 calls, one a minute up to 10 minutes ago: the newest 10 of alice ($0.30 each on gpt-4, 10,000 input tokens), then 10 of bob, then 10 of carol ($0.03 each, 1,000). */
  async function project() {
    const t = await newTenant(app);
    const events = Array.from({ length: 30 }, (_v, i) => ({
      provider: 'openai', model: 'gpt-4', input_tokens: i < 20 ? 10_000 : 1_000, output_tokens: 0,
      user_id: ['alice', 'bob', 'carol'][Math.floor(i / 10)], timestamp: new Date(NOW - (10 + i) * MINUTE).toISOString(),
    }));
    expect((await app.request('/api/events/batch', { token: t.apiKey, body: { events } })).status).toBe(200);
    return t;
  }
  const range = { from: NOW - DAY, to: NOW };

  it('reads every event when the range holds no more than the bound', async () => {
    const t = await project();
    const { cells, readFrom } = await readEventCells(as(t), { ...range, group_by: 'user' }, false, { maxEvents: 30 });
    expect(readFrom).toBeNull();
    expect(Object.fromEntries(cells.map((c) => [c.key, c.calls]))).toEqual({ alice: 10, bob: 10, carol: 10 });
  });

  it('reads only the latest events past the bound, and says from when', async () => {
    const t = await project();
    // The 16th newest call is bob's 6th, 25 minutes ago: the answer starts just after it.
    const { cells, readFrom } = await readEventCells(as(t), { ...range, group_by: 'user' }, false, { maxEvents: 15 });
    expect(readFrom).toBe(NOW - 25 * MINUTE + 1);
    expect(cells.map((c) => [c.key, c.calls, c.cost]).sort()).toEqual([['alice', 10, 3e9], ['bob', 5, 1.5e9]]);
  });

  it('keeps the biggest spenders of a table and sums the others as one row', async () => {
    const t = await project();
    const { cells } = await readEventCells(as(t), { ...range, group_by: 'user' }, false, { userRows: 1 });
    expect(cells.map((c) => [c.key, c.calls, c.cost])).toEqual([['alice', 10, 3e9], [OTHER_USERS, 20, 3.3e9]]);
  });

  it('keeps the biggest spenders of a chart and sums the others as one series', async () => {
    const t = await project();
    const { cells } = await readEventCells(as(t), { ...range, group_by: 'user' }, true, { userSeries: 2 });
    const total = (key: string) => cells.filter((c) => c.key === key).reduce((s, c) => s + c.cost, 0);
    expect([...new Set(cells.map((c) => c.key))].sort()).toEqual([OTHER_USERS, 'alice', 'bob'].sort());
    expect([total('alice'), total('bob'), total(OTHER_USERS)]).toEqual([3e9, 3e9, 0.3e9]);
  });

  it('answers the breakdown by user over HTTP with where its events start', async () => {
    const t = await project();
    const r = await app.request(`/api/costs/breakdown?group_by=user&from=${range.from}&to=${range.to}`, { token: t.apiKey });
    const body = (await r.json()) as { rows: { key: string; spend: number }[]; total: number; events_read_since: string | null };
    expect(body).toMatchObject({ total: 6.3, events_read_since: null });
    expect(body.rows.map((row) => [row.key, row.spend]).sort()).toEqual([['alice', 3], ['bob', 3], ['carol', 0.3]]);
  });
});
