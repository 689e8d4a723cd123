import { signupUser, startServerProcess } from '@llmlab/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminKey, cliUser, runCli } from './helpers.js';

const DAY_MS = 86_400_000;

let server: Awaited<ReturnType<typeof startServerProcess>>;

beforeAll(async () => {
  server = await startServerProcess();
});

afterAll(async () => {
  await server?.stop();
});

async function api<T>(path: string, key: string): Promise<T> {
  const res = await fetch(`${server.baseUrl}${path}`, { headers: { authorization: `Bearer ${key}` } });
  expect(res.status).toBe(200);
  return (await res.json()) as T;
}

describe('llmlab config retention', () => {
  it("shows, sets and applies the project's retention of raw events, keeping every total", async () => {
    const account = await signupUser(server.baseUrl);
    const key = await adminKey(server.baseUrl, account.token);
    const cli = cliUser(server.baseUrl, key);
    const now = Date.now();
    // Ten calls 40 to 58 days ago, three in the last hours.
    const events = [
      ...Array.from({ length: 10 }, (_, i) => ({ event_id: `old-${i}`, timestamp: new Date(now - (40 + 2 * i) * DAY_MS).toISOString() })),
      ...Array.from({ length: 3 }, (_, i) => ({ event_id: `new-${i}`, timestamp: new Date(now - (i + 1) * 3_600_000).toISOString() })),
    ].map((e) => ({ ...e, provider: 'openai', model: 'gpt-4o', input_tokens: 1000, output_tokens: 200 }));
    const sent = await fetch(`${server.baseUrl}/api/events/batch`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ events }),
    });
    expect(sent.status).toBe(200);
    // The summary of the last 90 days, less the instant it was asked at.
    const summary = async () => {
      const { to: _, ...rest } = await api<{ total_spend_nanos: number; calls: number; to: string }>('/api/costs/summary?days=90', key);
      return rest;
    };
    const before = await summary();
    expect(before.calls).toBe(13);

    const shown = await cli.run(['config', 'retention']);
    expect(shown).toEqual({ code: 0, stderr: '', stdout: 'Raw events are kept forever (project Default). Hourly totals are always kept.\n' });

    const set = await cli.run(['config', 'retention', '30']);
    expect(set.stderr).toBe('');
    expect(set.code).toBe(0);
    expect(set.stdout).toBe(
      '✔ Raw events are kept for 30 days (project Default). Hourly totals are always kept.\nOlder events are removed within the hour; add --apply to remove them now.\n',
    );

    const applied = await cli.run(['config', 'retention', '--apply', '--json']);
    expect(applied.code).toBe(0);
    const answer = JSON.parse(applied.stdout) as { project: { retention_days: number; raw_events_since: string }; applied: { deleted: number } };
    expect(answer).toMatchObject({ project: { retention_days: 30 }, applied: { deleted: 10 } });
    // 30 days before the server's clock when it ran: between this test's start and now.
    const cutoff = Date.parse(answer.project.raw_events_since);
    expect(cutoff).toBeGreaterThanOrEqual(now - 30 * DAY_MS);
    expect(cutoff).toBeLessThanOrEqual(Date.now() - 30 * DAY_MS);

    // Totals come from the hourly rollups: the same after, to the nanodollar.
    expect(await summary()).toEqual(before);
    const page = await api<{ events: { event_id: string }[]; raw_events_since: string }>('/api/events', key);
    expect(page.events.map((e) => e.event_id).sort()).toEqual(['new-0', 'new-1', 'new-2']);
    expect(page.raw_events_since).toBe(answer.project.raw_events_since);

    const again = await cli.run(['config', 'retention']);
    expect(again.stdout).toBe(`Raw events are kept for 30 days; those before ${answer.project.raw_events_since} were removed (project Default). Hourly totals are always kept.\n`);
    const off = await cli.run(['config', 'retention', 'off']);
    expect(off.stdout.split('\n')[0]).toBe(`✔ Raw events are kept forever; those before ${answer.project.raw_events_since} were removed (project Default). Hourly totals are always kept.`);
    expect((await api<{ projects: { retention_days: number | null }[] }>('/api/projects', key)).projects[0].retention_days).toBeNull();
  });

  it('refuses a key without the admin scope, and says what to do', async () => {
    const account = await signupUser(server.baseUrl);
    const result = await cliUser(server.baseUrl, account.apiKey).run(['config', 'retention', '30']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('Error: This credential lacks the "admin" scope; run `llmlab init` and log in to get a key with every scope.\n');
  });

  it('refuses a bad number of days with exit 2 before any request, and points `config set` at it', async () => {
    // No server: a request would fail with exit 1, so exit 2 means none was sent.
    const env = { LLMLAB_BASE_URL: 'http://127.0.0.1:9', LLMLAB_API_KEY: 'llmlab_unused' };
    for (const days of ['0', '3651', '2.5', 'soon']) {
      const result = await runCli(['config', 'retention', days], { env });
      expect({ days, code: result.code }).toEqual({ days, code: 2 });
      expect(result.stderr).toContain(`"${days}" is not a retention; give a number of days from 1 to 3650, or off to keep raw events forever.`);
    }
    const set = await runCli(['config', 'set', 'retention_days', '30'], { env });
    expect(set.code).toBe(2);
    expect(set.stderr).toBe('Error: Retention is a setting of the project on the server; use `llmlab config retention 30` (or off).\n');
  });
});
