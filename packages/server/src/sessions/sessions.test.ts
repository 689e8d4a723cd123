import { DAY_MS, HOUR_MS } from '@llmlab/core';
import { describe, expect, it } from 'vitest';
import { json, newTenant, type TestTenant, track } from '../../test/helpers/accounts.js';
import { databases } from '../../test/helpers/databases.js';
import { useOwnDatabase } from '../../test/helpers/own-database.js';
import { useTestApp } from '../../test/helpers/test-app.js';
import type { TenantContext } from '../context.js';
import { getSession } from './get-session.js';
import { listSessions } from './list-sessions.js';

const NOW = Date.parse('2026-11-27T12:00:00Z');
const MINUTE = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();
// gpt-4: $30 in and $60 out per million tokens; claude-3-haiku: $0.25 and $1.25.
const GPT4_CALL = 60_000_000; // 1,000 in + 500 out
const HAIKU_CALL = 1_500_000; // 1,000 in + 1,000 out

interface SessionRow {
  session_id: string;
  calls: number;
  cost: number;
  cost_nanos: number;
  unpriced_calls: number;
  first_at: string;
  last_at: string;
  models: string[];
  end_user: string | null;
  end_users: number;
}
interface SessionList {
  sessions: SessionRow[];
  sessions_read: number;
  events_read_since: string | null;
  raw_events_since: string | null;
}
interface SessionCalls {
  session_id: string;
  calls: number;
  cost_nanos: number;
  first_at: string;
  last_at: string;
  events: { event_id: string; ts: number; session_id: string; cost_nanos: number | null }[];
  truncated: boolean;
  raw_events_since: string | null;
}

const gpt4 = { provider: 'openai', model: 'gpt-4', input_tokens: 1000, output_tokens: 500 };
const haiku = { provider: 'anthropic', model: 'claude-3-haiku', input_tokens: 1000, output_tokens: 1000 };

describe.each(databases())('sessions on $name', (db) => {
  const app = useTestApp(useOwnDatabase(db), NOW);
  const as = (t: TestTenant): TenantContext => ({ ...app.ctx, actor: { kind: 'api_key', orgId: t.orgId, projectId: t.projectId, scopes: new Set(['read']) } });
  const get = <T>(t: TestTenant, path: string) => json<T>(app.request(path, { token: t.apiKey }));

  /**
   * Three agent runs and a call without one: run-a (two gpt-4 calls and a haiku call of alice, 3 to 1 hours ago),
   * run-b (one gpt-4 call of bob, 30 minutes ago, and an unpriced one), run-c (one haiku call, no end user, 2 days ago).
   */
  async function project(): Promise<TestTenant> {
    const t = await newTenant(app);
    const at = (ms: number) => iso(NOW - ms);
    const one = await track(app, t.apiKey, { ...gpt4, session_id: '  run-a  ', user_id: 'alice', timestamp: at(3 * HOUR_MS), event_id: 'a1' });
    expect(one.cost_nanos).toBe(GPT4_CALL);
    const batch = await app.request('/api/events/batch', {
      token: t.apiKey,
      body: {
        events: [
          { ...haiku, session_id: 'run-a', user_id: 'alice', timestamp: at(HOUR_MS), event_id: 'a3' },
          { ...gpt4, session_id: 'run-a', user_id: 'alice', timestamp: at(2 * HOUR_MS), event_id: 'a2' },
          { ...gpt4, session_id: 'run-b', user_id: 'bob', timestamp: at(30 * MINUTE), event_id: 'b1' },
          { provider: 'openai', model: 'gpt-nobody-prices', input_tokens: 10, output_tokens: 10, session_id: 'run-b', timestamp: at(20 * MINUTE), event_id: 'b2' },
          { ...haiku, session_id: 'run-c', timestamp: at(2 * DAY_MS), event_id: 'c1' },
          { ...gpt4, user_id: 'alice', timestamp: at(10 * MINUTE), event_id: 'no-session' },
        ],
      },
    });
    expect(batch.status).toBe(200);
    return t;
  }

  it('stores session_id from the track API and a batch, trimmed, and shows it on the event, the list and the export', async () => {
    const t = await project();
    const event = await get<{ session_id: string | null }>(t, '/api/events/a1');
    expect(event.session_id).toBe('run-a');
    expect((await get<{ session_id: string | null }>(t, '/api/events/no-session')).session_id).toBeNull();
    const page = await get<{ events: { event_id: string; session_id: string | null }[] }>(t, '/api/events?session_id=run-a');
    expect(page.events.map((e) => [e.event_id, e.session_id])).toEqual([['a3', 'run-a'], ['a2', 'run-a'], ['a1', 'run-a']]);
    const csv = await (await app.request('/api/export?format=csv&session_id=run-b', { token: t.apiKey })).text();
    const [header, ...rows] = csv.trim().split('\r\n');
    const column = header.split(',').indexOf('session_id');
    expect(header.split(',').slice(0, column).at(-1)).toBe('saved_usd');
    expect(rows.map((r) => r.split(',')[column])).toEqual(['run-b', 'run-b']);
  });

  it('lists sessions by cost with their exact calls, cost, span, models and end user', async () => {
    const t = await project();
    const list = await get<SessionList>(t, '/api/sessions?days=7');
    expect(list).toMatchObject({ sessions_read: 3, events_read_since: null, raw_events_since: null });
    expect(list.sessions).toEqual([
      {
        session_id: 'run-a', calls: 3, cost: (2 * GPT4_CALL + HAIKU_CALL) / 1e9, cost_nanos: 2 * GPT4_CALL + HAIKU_CALL, unpriced_calls: 0,
        first_at: iso(NOW - 3 * HOUR_MS), last_at: iso(NOW - HOUR_MS), models: ['anthropic/claude-3-haiku', 'openai/gpt-4'], end_user: 'alice', end_users: 1,
      },
      {
        session_id: 'run-b', calls: 2, cost: GPT4_CALL / 1e9, cost_nanos: GPT4_CALL, unpriced_calls: 1,
        first_at: iso(NOW - 30 * MINUTE), last_at: iso(NOW - 20 * MINUTE), models: ['openai/gpt-4', 'openai/gpt-nobody-prices'], end_user: 'bob', end_users: 1,
      },
      {
        session_id: 'run-c', calls: 1, cost: HAIKU_CALL / 1e9, cost_nanos: HAIKU_CALL, unpriced_calls: 0,
        first_at: iso(NOW - 2 * DAY_MS), last_at: iso(NOW - 2 * DAY_MS), models: ['anthropic/claude-3-haiku'], end_user: null, end_users: 0,
      },
    ]);
    const recent = await get<SessionList>(t, '/api/sessions?days=7&sort=last_at&limit=2');
    expect(recent.sessions.map((s) => s.session_id)).toEqual(['run-b', 'run-a']);
    expect(recent.sessions_read).toBe(3);
    const lastDay = await get<SessionList>(t, `/api/sessions?from=${iso(NOW - DAY_MS)}&to=${iso(NOW)}`);
    expect(lastDay.sessions.map((s) => s.session_id)).toEqual(['run-a', 'run-b']);
    const bobs = await get<SessionList>(t, '/api/sessions?days=7&user_id=bob');
    expect(bobs.sessions.map((s) => [s.session_id, s.calls])).toEqual([['run-b', 1]]);
  });

  it("answers a session's calls in order with its totals", async () => {
    const t = await project();
    const s = await get<SessionCalls>(t, '/api/sessions/run-a');
    expect(s).toMatchObject({ session_id: 'run-a', calls: 3, cost_nanos: 2 * GPT4_CALL + HAIKU_CALL, first_at: iso(NOW - 3 * HOUR_MS), last_at: iso(NOW - HOUR_MS), truncated: false, raw_events_since: null });
    expect(s.events.map((e) => [e.event_id, e.ts, e.cost_nanos])).toEqual([
      ['a1', NOW - 3 * HOUR_MS, GPT4_CALL],
      ['a2', NOW - 2 * HOUR_MS, GPT4_CALL],
      ['a3', NOW - HOUR_MS, HAIKU_CALL],
    ]);
    // A long session lists its first calls and says there are more; its totals count them all.
    const capped = await getSession({ ctx: as(t), sessionId: 'run-a', maxCalls: 2 });
    expect(capped).toMatchObject({ calls: 3, cost_nanos: 2 * GPT4_CALL + HAIKU_CALL, truncated: true });
    expect(capped.events.map((e) => e.event_id)).toEqual(['a1', 'a2']);
  });

  it('sums only the latest events of a busy range, and says from when', async () => {
    const t = await project();
    // The 5th newest event is a2, two hours ago: the read starts just after it, so run-a keeps only a3.
    const list = await listSessions({ ctx: as(t), input: { days: 7, tz: 'UTC', sort: 'cost', limit: 50 }, maxEvents: 4 });
    expect(list.events_read_since).toBe(iso(NOW - 2 * HOUR_MS + 1));
    expect(list.sessions.map((s) => [s.session_id, s.calls, s.cost_nanos])).toEqual([['run-b', 2, GPT4_CALL], ['run-a', 1, HAIKU_CALL]]);
  });

  it('refuses bad input with a 400 naming it, and stores nothing', async () => {
    const t = await project();
    const bad = async (res: Response, message: string) => {
      expect(res.status).toBe(400);
      expect(JSON.stringify(await res.json())).toContain(message);
    };
    await bad(await app.request('/api/events/track', { token: t.apiKey, body: { ...gpt4, session_id: 's'.repeat(201) } }), 'session_id is longer than 200 characters');
    await bad(await app.request('/api/events/track', { token: t.apiKey, body: { ...gpt4, session_id: '   ' } }), 'session_id must not be empty');
    await bad(await app.request('/api/events/batch', { token: t.apiKey, body: { events: [gpt4, { ...gpt4, session_id: 7 }] } }), 'events.1.session_id');
    await bad(await app.request('/api/sessions?sort=price', { token: t.apiKey }), 'sort must be cost or last_at');
    await bad(await app.request('/api/sessions?limit=501', { token: t.apiKey }), 'limit must be at most 500');
    await bad(await app.request(`/api/sessions?from=${iso(NOW)}&to=${iso(NOW - HOUR_MS)}`, { token: t.apiKey }), 'from must be before to');
    await bad(await app.request(`/api/sessions?from=${iso(NOW)}&to=${iso(NOW)}`, { token: t.apiKey }), 'from must be before to');
    expect((await get<{ calls: number }>(t, '/api/costs/summary?days=7')).calls).toBe(7);
  });

  it("never shows another tenant's session: 404, as for one that does not exist", async () => {
    const t = await project();
    const stranger = await newTenant(app);
    const res = await app.request('/api/sessions/run-a', { token: stranger.apiKey });
    expect(res.status).toBe(404);
    expect((await res.json()).error.message).toBe('session run-a not found');
    expect((await get<SessionList>(stranger, '/api/sessions?days=7')).sessions).toEqual([]);
    expect((await app.request('/api/sessions/run-a', { token: t.apiKey })).status).toBe(200);
  });

  it("honours the project's retention: removed calls leave the session, and the answers say so", async () => {
    const t = await project();
    expect((await app.request(`/api/projects/${t.projectId}`, { method: 'PATCH', token: t.token, body: { retention_days: 1 } })).status).toBe(200);
    expect(await json(app.request('/api/admin/retention/apply', { method: 'POST', token: t.token }))).toEqual({ deleted: 1 });
    const since = iso(NOW - DAY_MS);
    const list = await get<SessionList>(t, '/api/sessions?days=7');
    expect(list.raw_events_since).toBe(since);
    expect(list.sessions.map((s) => s.session_id)).toEqual(['run-a', 'run-b']);
    expect((await get<SessionList>(t, `/api/sessions?from=${since}`)).raw_events_since).toBeNull();
    const gone = await app.request('/api/sessions/run-c', { token: t.apiKey });
    expect(gone.status).toBe(404);
    expect((await gone.json()).error.message).toBe(`session run-c not found (retention removed the project's raw events before ${since})`);
    expect((await get<SessionCalls>(t, '/api/sessions/run-a')).raw_events_since).toBe(since);
  });
});
