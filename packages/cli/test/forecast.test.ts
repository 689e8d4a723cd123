import { signupUser, startServerProcess } from '@llmlab/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminKey, cliUser } from './helpers.js';

let server: Awaited<ReturnType<typeof startServerProcess>>;

beforeAll(async () => {
  server = await startServerProcess();
});

afterAll(async () => {
  await server?.stop();
});

/** A user who spent $0.12 today: two gpt-4 calls of 1,000 in and 500 out. */
async function userWhoSpent12Cents() {
  const account = await signupUser(server.baseUrl);
  const user = cliUser(server.baseUrl, await adminKey(server.baseUrl, account.token));
  for (let i = 0; i < 2; i++) {
    await user.run(['track', '--provider', 'openai', '--model', 'gpt-4', '--input-tokens', '1000', '--output-tokens', '500']);
  }
  return user;
}

/** A user whose spend began two days ago: one such $0.06 call then, one now. */
async function userWithTwoDaysOfSpend() {
  const account = await signupUser(server.baseUrl);
  const user = cliUser(server.baseUrl, await adminKey(server.baseUrl, account.token));
  const call = { provider: 'openai', model: 'gpt-4', input_tokens: 1000, output_tokens: 500 };
  const res = await fetch(`${server.baseUrl}/api/events/batch`, {
    method: 'POST',
    headers: { authorization: `Bearer ${account.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ events: [{ ...call, timestamp: new Date(Date.now() - 48 * 3_600_000).toISOString() }, call] }),
  });
  expect(res.status).toBe(200);
  return user;
}

describe('llmlab forecast', () => {
  it('says there is not enough data yet for spend of a few minutes, instead of projecting it, and exits 0', async () => {
    const user = await userWhoSpent12Cents();
    const { code, stdout } = await user.run(['forecast', '--exit-code', '--tz', 'UTC']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^LLMLab forecast · this month, UTC\n/);
    expect(stdout).toMatch(/Spent so far\s+\$0\.12\s+day \d+ of (28|29|30|31)/);
    expect(stdout).toMatch(/Projected\s+not yet\n/);
    expect(stdout).not.toContain('80% interval');
    expect(stdout).toContain('Not enough data yet: less than one day of spend. The forecast starts once a full day of spend is recorded.');
    const json = JSON.parse((await user.run(['forecast', '--json'])).stdout);
    expect(json).toMatchObject({ method: 'insufficient_data', verdict: 'not_enough_data', spent: 0.12, projected_spend: 0.12, low: 0.12 });
    expect(json.note).toMatch(/^Not enough data yet: less than one day of spend/);
  });

  it('projects the month from two days of spend, without a budget', async () => {
    const user = await userWithTwoDaysOfSpend();
    const { code, stdout } = await user.run(['forecast', '--exit-code', '--tz', 'UTC']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/Projected\s+\$[\d.,]+\s+80% interval \$[\d.,]+ to \$[\d.,]+/);
    expect(stdout).toContain('No budget to compare with; set one with `llmlab budget --amount 100`.');
  });

  it('exits 0 on track, 1 when projected over, 2 when already over', async () => {
    const user = await userWithTwoDaysOfSpend();
    // The month's spend: $0.12, or $0.06 in the first two days of a month.
    const { spent } = JSON.parse((await user.run(['forecast', '--json'])).stdout) as { spent: number };
    await user.run(['budget', '--amount', '1000']);
    const onTrack = await user.run(['forecast', '--exit-code']);
    expect(onTrack.code).toBe(0);
    expect(onTrack.stdout).toMatch(/✔ On track: \$[\d,.]+ projected to spare\./);

    // A budget a hair above the spend so far: any spend in the rest of the month crosses it.
    const hair = Math.round((spent + 0.00001) * 1e6) / 1e6;
    await user.run(['budget', '--amount', String(hair)]);
    const projected = await user.run(['forecast', '--exit-code', '--json']);
    expect(projected.code).toBe(1);
    const f = JSON.parse(projected.stdout);
    expect(f).toMatchObject({ spent, budget: hair, verdict: 'projected_over', period: 'monthly', method: 'run_rate' });
    expect(f.projected_spend).toBeGreaterThan(hair);
    const text = await user.run(['forecast']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/⚠ Projected to exceed the budget (on \w{3} \d{1,2}, )?by \$/);

    await user.run(['budget', '--amount', String(Math.round((spent - 0.02) * 100) / 100)]);
    const over = await user.run(['forecast', '--exit-code']);
    expect(over.code).toBe(2);
    expect(over.stdout).toContain('✖ Already over budget by $0.02.');
  });

  it('says so when the --budget it is given does not exist', async () => {
    const user = await userWhoSpent12Cents();
    const { code, stderr } = await user.run(['forecast', '--budget', 'nope']);
    expect(code).toBe(1);
    expect(stderr).toBe('Error: There is no budget nope; list them with `llmlab budget`.\n');
  });
});
