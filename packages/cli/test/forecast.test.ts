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

describe('llmlab forecast', () => {
  it('projects the month without a budget and exits 0 with --exit-code', async () => {
    const user = await userWhoSpent12Cents();
    const { code, stdout } = await user.run(['forecast', '--exit-code', '--tz', 'UTC']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^LLMLab forecast · this month, UTC\n/);
    expect(stdout).toMatch(/Spent so far\s+\$0\.12\s+day \d+ of (28|29|30|31)/);
    expect(stdout).toMatch(/Projected\s+\$[\d.,]+\s+80% interval \$[\d.,]+ to \$[\d.,]+/);
    expect(stdout).toContain('No budget to compare with; set one with `llmlab budget --amount 100`.');
  });

  it('exits 0 on track, 1 when projected over, 2 when already over', async () => {
    const user = await userWhoSpent12Cents();
    await user.run(['budget', '--amount', '1000']);
    const onTrack = await user.run(['forecast', '--exit-code']);
    expect(onTrack.code).toBe(0);
    expect(onTrack.stdout).toMatch(/✔ On track: \$[\d,.]+ projected to spare\./);

    // A budget a hair above today's spend: any spend in the rest of the month crosses it.
    await user.run(['budget', '--amount', '0.12001']);
    const projected = await user.run(['forecast', '--exit-code', '--json']);
    expect(projected.code).toBe(1);
    const f = JSON.parse(projected.stdout);
    expect(f).toMatchObject({ spent: 0.12, budget: 0.12001, verdict: 'projected_over', period: 'monthly' });
    expect(f.projected_spend).toBeGreaterThan(0.12001);
    const text = await user.run(['forecast']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/⚠ Projected to exceed the budget (on \w{3} \d{1,2}, )?by \$/);

    await user.run(['budget', '--amount', '0.10']);
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
