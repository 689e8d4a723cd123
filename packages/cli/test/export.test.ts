import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { signupUser, startServerProcess } from '@llmlab/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANSI, cliUser } from './helpers.js';

let server: Awaited<ReturnType<typeof startServerProcess>>;

beforeAll(async () => {
  server = await startServerProcess();
});

afterAll(async () => {
  await server?.stop();
});

const COLUMNS =
  'event_id,timestamp,provider,model,input_tokens,output_tokens,cached_input_tokens,cache_write_tokens,reasoning_tokens,cost_usd,priced,latency_ms,status,feature,user_id,environment,source,tags,metadata,cache_hit,saved_usd,session_id,service_tier';

/** A user with two calls: gpt-4 for "summarize" and claude-3-haiku for "chat". */
async function userWithEvents() {
  const account = await signupUser(server.baseUrl);
  const user = cliUser(server.baseUrl, account.apiKey);
  const a = await user.run(['track', '--provider', 'openai', '--model', 'gpt-4', '--input-tokens', '1000', '--output-tokens', '500', '--feature', 'summarize', '--event-id', 'ev-1']);
  const b = await user.run(['track', '--provider', 'anthropic', '--model', 'claude-3-haiku', '--input-tokens', '4000', '--output-tokens', '800', '--feature', 'chat', '--event-id', 'ev-2']);
  expect([a.code, b.code]).toEqual([0, 0]);
  return user;
}

function parseCsv(text: string): Record<string, string>[] {
  // RFC 4180 lines end with CRLF.
  const [head, ...rows] = text.trim().split('\r\n');
  const names = head.split(',');
  return rows.map((row) => {
    const cells = row.split(',');
    return Object.fromEntries(names.map((n, i) => [n, cells[i]]));
  });
}

describe('llmlab export', () => {
  it('streams CSV to stdout: the header, then one row per event with its cost', async () => {
    const user = await userWithEvents();
    const { code, stdout, stderr } = await user.run(['export']);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout.split('\r\n')[0]).toBe(COLUMNS);
    const rows = parseCsv(stdout);
    expect(rows).toHaveLength(2);
    const byId = Object.fromEntries(rows.map((r) => [r.event_id, r]));
    expect(byId['ev-1']).toMatchObject({ provider: 'openai', model: 'gpt-4', input_tokens: '1000', output_tokens: '500', cost_usd: '0.06', feature: 'summarize', priced: 'true' });
    // claude-3-haiku: $0.25 in, $1.25 out per million tokens.
    expect(byId['ev-2']).toMatchObject({ provider: 'anthropic', model: 'claude-3-haiku', cost_usd: '0.002', feature: 'chat' });
    expect(stdout).not.toMatch(ANSI);
  });

  it('writes a file with -o and reports the count on stderr', async () => {
    const user = await userWithEvents();
    const file = join(user.configDir, 'events.csv');
    const { code, stdout, stderr } = await user.run(['export', '--provider', 'openai', '-o', file]);
    expect(code).toBe(0);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^✔ Exported 1 events, 1 KB to .*events\.csv\n$/);
    const rows = parseCsv(readFileSync(file, 'utf8'));
    expect(rows.map((r) => r.event_id)).toEqual(['ev-1']);
    expect(existsSync(`${file}.partial`)).toBe(false);
  });

  it('exports JSON events with the same figures', async () => {
    const user = await userWithEvents();
    const { code, stdout } = await user.run(['export', '--format', 'json', '--feature', 'chat']);
    expect(code).toBe(0);
    const events = JSON.parse(stdout);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ event_id: 'ev-2', model: 'claude-3-haiku', input_tokens: 4000, output_tokens: 800, cost: 0.002, cost_nanos: 2_000_000 });
  });

  it('filters by day: --to includes its whole day, --from excludes earlier days', async () => {
    const user = await userWithEvents();
    const today = new Date().toISOString().slice(0, 10);
    const included = await user.run(['export', '--from', today, '--to', today, '--tz', 'UTC']);
    expect(parseCsv(included.stdout)).toHaveLength(2);
    const before = await user.run(['export', '--to', '2020-01-31', '--tz', 'UTC']);
    expect(before.code).toBe(0);
    expect(before.stdout.trim()).toBe(COLUMNS);
    const reversed = await user.run(['export', '--from', '2026-02-01', '--to', '2026-01-01']);
    expect(reversed.code).toBe(2);
    expect(reversed.stderr).toContain('is not before --to');
  });

  it('fails with a sentence when the file cannot be written, leaving nothing behind', async () => {
    const user = await userWithEvents();
    const file = join(user.configDir, 'missing-folder', 'events.csv');
    const { code, stderr } = await user.run(['export', '-o', file]);
    expect(code).toBe(1);
    expect(stderr).toBe(`Error: Cannot write ${file} (ENOENT); check that its folder exists and is writable.\n`);
  });
});
