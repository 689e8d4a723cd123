import { describe, expect, it } from 'vitest';
import { cliUserWithEvents, useServerProcess } from './helpers.js';

const server = useServerProcess();

/**
 * Two agent runs of the last minutes: run-a, three gpt-4 calls of 1,000, 2,000 and 3,000 input
 * tokens for acme ($0.03 + $0.06 + $0.09 = $0.18), 20 s apart; run-b, one gpt-4o-mini call and
 * one of a model without a price, for globex.
 */
async function userWithSessions() {
  const start = Date.now() - 10 * 60_000;
  const at = (s: number) => new Date(start + s * 1000).toISOString();
  const events = [
    ...[1000, 2000, 3000].map((input, i) => ({ provider: 'openai', model: 'gpt-4', input_tokens: input, output_tokens: 0, session_id: 'run-a', user_id: 'acme', feature: 'agent', timestamp: at(20 * i) })),
    { provider: 'openai', model: 'gpt-4o-mini', input_tokens: 1000, output_tokens: 0, session_id: 'run-b', user_id: 'globex', timestamp: at(90) },
    { provider: 'openai', model: 'model-nobody-prices', input_tokens: 10, output_tokens: 5, session_id: 'run-b', user_id: 'globex', timestamp: at(95) },
    { provider: 'openai', model: 'gpt-4', input_tokens: 100, output_tokens: 0, timestamp: at(100) },
  ];
  return cliUserWithEvents(server.baseUrl, events);
}

describe('llmlab sessions', () => {
  it('lists the runs of the range, the most expensive first, with their unpriced calls', async () => {
    const user = await userWithSessions();
    const { code, stdout, stderr } = await user.run(['sessions', '--tz', 'UTC']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const lines = stdout.split('\n');
    expect(lines[0]).toMatch(/^LLMLab sessions · \d{4}-\d{2}-\d{2} to \d{4}-\d{2}-\d{2}, most expensive first$/);
    const a = lines.findIndex((l) => l.includes('run-a'));
    const b = lines.findIndex((l) => l.includes('run-b'));
    expect(a).toBeGreaterThan(0);
    expect(b).toBeGreaterThan(a);
    expect(lines[a]).toMatch(/run-a\s+3\s+\$0\.18\s+.*acme\s+openai\/gpt-4$/);
    // gpt-4o-mini: 1,000 input tokens at $0.15 a million.
    expect(lines[b]).toMatch(/run-b\s+2\s+\$0\.00015 \+ 1 unpriced\s+.*globex\s+openai\/gpt-4o-mini, openai\/model-nobody-prices$/);
    expect(stdout).not.toContain('of 2 sessions');

    const recent = await user.run(['sessions', '--sort', 'recent', '--limit', '1', '--json']);
    expect(recent.code).toBe(0);
    const answer = JSON.parse(recent.stdout) as { sort: string; sessions: { session_id: string; cost_nanos: number }[]; sessions_read: number };
    expect(answer).toMatchObject({ sort: 'last_at', sessions_read: 2, sessions: [{ session_id: 'run-b', cost_nanos: 150_000 }] });
  });

  it('shows one run as its calls in order with the running total, and says when a run does not exist', async () => {
    const user = await userWithSessions();
    const { code, stdout, stderr } = await user.run(['sessions', 'run-a', '--tz', 'UTC']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^LLMLab session run-a\n3 calls, \$0\.18, /);
    expect(stdout).toMatch(/\+0\.0 s\s+openai\/gpt-4\s+agent\s+1,000\s+0\s+\$0\.03\s+\$0\.03\s+ok\n/);
    expect(stdout).toMatch(/\+20\.0 s\s+openai\/gpt-4\s+agent\s+2,000\s+0\s+\$0\.06\s+\$0\.09\s+ok\n/);
    expect(stdout).toMatch(/\+40\.0 s\s+openai\/gpt-4\s+agent\s+3,000\s+0\s+\$0\.09\s+\$0\.18\s+ok/);

    const missing = await user.run(['sessions', 'no-such-run']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/session/i);
    const bad = await user.run(['sessions', '--sort', 'cheapest']);
    expect(bad.code).toBe(2);
  });
});
