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

async function newUser() {
  const account = await signupUser(server.baseUrl);
  return cliUser(server.baseUrl, await adminKey(server.baseUrl, account.token));
}

describe('llmlab budget', () => {
  it('says there is none, then sets one, then lists it with its status', async () => {
    const user = await newUser();
    const empty = await user.run(['budget']);
    expect(empty.code).toBe(0);
    expect(empty.stdout).toBe('No budgets yet; set one with `llmlab budget --amount 100`.\n');

    await user.run(['track', '--provider', 'openai', '--model', 'gpt-4', '--input-tokens', '1000', '--output-tokens', '500']);
    const set = await user.run(['budget', '--amount', '0.07']);
    expect(set.code).toBe(0);
    expect(set.stdout).toBe('✔ Set monthly budget of $0.07 for all spend · spent $0.06 (85.7%)\n');

    const list = await user.run(['budget']);
    expect(list.stdout).toMatch(/Budget\s+Scope\s+Period\s+Amount\s+Spent\s+Used\s+Status\s+Limit/);
    expect(list.stdout).toMatch(/\s+all spend\s+monthly\s+\$0\.07\s+\$0\.06\s+85\.7%\s+⚠ alert\s+soft/);
  });

  it('updates the budget of the same period and scope instead of adding another', async () => {
    const user = await newUser();
    await user.run(['budget', '--amount', '100']);
    const again = await user.run(['budget', '--amount', '250', '--hard-limit']);
    expect(again.stdout).toContain('✔ Updated monthly budget of $250.00 for all spend, hard limit');
    const budgets = JSON.parse((await user.run(['budget', '--json'])).stdout);
    expect(budgets).toHaveLength(1);
    expect(budgets[0]).toMatchObject({ amount: 250, period: 'monthly', hard_limit: true });
  });

  it('sets a scoped daily budget beside the monthly one', async () => {
    const user = await newUser();
    await user.run(['budget', '--amount', '100']);
    const scoped = await user.run(['budget', '--amount', '5', '--period', 'daily', '--scope-feature', 'chat', '--alert-threshold', '50']);
    expect(scoped.code).toBe(0);
    expect(scoped.stdout).toContain('daily budget of $5.00 for feature chat');
    const budgets = JSON.parse((await user.run(['budget', '--json'])).stdout);
    expect(budgets).toHaveLength(2);
    expect(budgets.find((b: { period: string }) => b.period === 'daily')).toMatchObject({ amount: 5, scope: { feature: 'chat' }, alert_threshold: 50 });
  });

  it('says which scope is missing when the key cannot set budgets', async () => {
    const account = await signupUser(server.baseUrl);
    const readOnly = cliUser(server.baseUrl, account.apiKey);
    const { code, stderr } = await readOnly.run(['budget', '--amount', '10']);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^Error: .*"admin" scope; run `llmlab init` and log in to get a key with every scope\.\n$/);
  });

  it('refuses budget flags without --amount and a bad amount, with exit 2', async () => {
    const user = await newUser();
    const noAmount = await user.run(['budget', '--period', 'weekly']);
    expect(noAmount.code).toBe(2);
    expect(noAmount.stderr).toBe('Error: Setting a budget needs --amount; run `llmlab budget` alone to list budgets.\n');
    const bad = await user.run(['budget', '--amount', '-3']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('"-3" is not an amount in USD');
    const period = await user.run(['budget', '--amount', '3', '--period', 'yearly']);
    expect(period.code).toBe(2);
    expect(period.stderr).toContain("argument 'yearly' is invalid. Allowed choices are daily, weekly, monthly.");
  });
});
