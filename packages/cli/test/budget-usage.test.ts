import { signupUser, startServerProcess } from '@llmlab/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminKey, cliUser, runCli } from './helpers.js';

let server: Awaited<ReturnType<typeof startServerProcess>>;

beforeAll(async () => {
  server = await startServerProcess();
});

afterAll(async () => {
  await server?.stop();
});

async function newUser() {
  const account = await signupUser(server.baseUrl);
  const key = await adminKey(server.baseUrl, account.token);
  return { ...cliUser(server.baseUrl, key), key };
}

/** gpt-4o costs $2.50 per million input tokens and $10 per million output tokens. */
async function trackGpt4o(user: Awaited<ReturnType<typeof newUser>>, endUser: string, input: number, output: number) {
  const tracked = await user.run(['track', '--provider', 'openai', '--model', 'gpt-4o', '--input-tokens', String(input), '--output-tokens', String(output), '--user', endUser]);
  expect(tracked.code).toBe(0);
}

/** The current calendar month in UTC, as "2026-12-01 to 2026-12-31". */
function thisMonth(): string {
  const now = new Date();
  const first = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const last = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 0));
  return `${first.toISOString().slice(0, 10)} to ${last.toISOString().slice(0, 10)}`;
}

describe('llmlab budget --per (template budgets)', () => {
  it('gives each end user $5 a month and lists each one with spend, remaining and state', async () => {
    const user = await newUser();
    await trackGpt4o(user, 'customer-a', 2_000_000, 0); // $5.00
    await trackGpt4o(user, 'customer-b', 1_000_000, 150_000); // $2.50 + $1.50 = $4.00
    await trackGpt4o(user, 'customer-c', 100_000, 0); // $0.25

    const set = await user.run(['budget', '--per', 'end_user', '--amount', '5', '--name', 'Each customer']);
    expect(set.stderr).toBe('');
    expect(set.stdout).toBe('✔ Set monthly budget of $5.00 for each end user · top customer-a spent $5.00 (100.0%)\n');

    const usage = await user.run(['budget', 'usage', 'Each customer']);
    expect(usage.code).toBe(0);
    const lines = usage.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(`Each customer · $5.00 monthly for each end user · ${thisMonth()} (UTC)`);
    expect(lines[1]).toMatch(/^\s*End user\s+Spent\s+Remaining\s+Used\s+State$/);
    expect(lines.slice(2).map((l) => l.trim().split(/\s{2,}/))).toEqual([
      ['customer-a', '$5.00', '$0.00', '100.0%', '✖ exceeded'],
      ['customer-b', '$4.00', '$1.00', '80.0%', '⚠ alert'],
      ['customer-c', '$0.25', '$4.75', '5.0%', 'ok'],
    ]);

    const list = await user.run(['budget']);
    expect(list.stdout).toMatch(/Each customer\s+each end user\s+monthly\s+\$5\.00\s+\$5\.00 \(customer-a\)\s+100\.0%\s+✖ over\s+soft/);
    expect(list.stdout).toContain('A template shows its top spender; `llmlab budget usage "Each customer"` lists every one.');
  });

  it('pages by --limit, narrows to one --value, and prints JSON with the exact nanodollars', async () => {
    const user = await newUser();
    await trackGpt4o(user, 'customer-a', 2_000_000, 0);
    await trackGpt4o(user, 'customer-b', 1_000_000, 150_000);
    await trackGpt4o(user, 'customer-c', 100_000, 0);
    const budget = JSON.parse((await user.run(['budget', '--per', 'end_user', '--amount', '5', '--json'])).stdout);
    expect(budget).toMatchObject({ per: 'end_user', scope: null, amount: 5, status: { value: 'customer-a', spent: 5 } });

    const top2 = await user.run(['budget', 'usage', budget.id, '--limit', '2']);
    expect(top2.stdout).toMatch(/customer-a\s+\$5\.00/);
    expect(top2.stdout).toMatch(/customer-b\s+\$4\.00/);
    expect(top2.stdout).not.toContain('customer-c');
    expect(top2.stdout).toContain('Showing the top 2; --limit 4 shows more.\n');

    const json = JSON.parse((await user.run(['budget', 'usage', budget.id, '--json'])).stdout);
    expect(json.values.map((v: { value: string; spent_nanos: number; state: string }) => [v.value, v.spent_nanos, v.state])).toEqual([
      ['customer-a', 5_000_000_000, 'exceeded'],
      ['customer-b', 4_000_000_000, 'alert'],
      ['customer-c', 250_000_000, 'ok'],
    ]);
    expect(json.next_cursor).toBeNull();

    const newcomer = await user.run(['budget', 'usage', budget.id, '--value', 'customer-z']);
    expect(newcomer.stdout).toMatch(/customer-z\s+\$0\.00\s+\$5\.00\s+0\.0%\s+ok/);
  });

  it('updates the same template instead of adding a twin, and keeps it apart from the plain budget', async () => {
    const user = await newUser();
    await user.run(['budget', '--amount', '100']);
    await user.run(['budget', '--per', 'end_user', '--amount', '5']);
    const again = await user.run(['budget', '--per', 'end_user', '--amount', '7']);
    expect(again.stdout).toBe('✔ Updated monthly budget of $7.00 for each end user · none has spent yet\n');
    const budgets = JSON.parse((await user.run(['budget', '--json'])).stdout);
    expect(budgets.map((b: { amount: number; per: string | null }) => [b.amount, b.per])).toEqual([
      [100, null],
      [7, 'end_user'],
    ]);
  });

  it('names the key of a template per API key', async () => {
    const user = await newUser();
    await trackGpt4o(user, 'anyone', 1_000_000, 0);
    await user.run(['budget', '--per', 'api_key', '--amount', '10', '--name', 'Each key']);
    const keys = await fetch(`${server.baseUrl}/api/keys`, { headers: { authorization: `Bearer ${user.key}` } });
    const { keys: list } = (await keys.json()) as { keys: { id: string; name: string }[] };
    const id = list.find((k) => k.name === 'cli tests')?.id;
    const usage = await user.run(['budget', 'usage', 'Each key']);
    expect(usage.stdout).toMatch(/^\s*API key\s+Spent\s+Remaining\s+Used\s+State$/m);
    expect(usage.stdout).toMatch(new RegExp(`cli tests \\(${id}\\)\\s+\\$2\\.50\\s+\\$7\\.50\\s+25\\.0%\\s+ok`));
  });

  it('says a plain budget is not split, and that none has spent in a new template', async () => {
    const user = await newUser();
    await trackGpt4o(user, 'customer-a', 1_000_000, 0);
    await user.run(['budget', '--amount', '10', '--name', 'All']);
    const plain = await user.run(['budget', 'usage', 'All']);
    expect(plain.stdout).toBe(
      `"All" is one budget for all spend, not one per end user, key or feature: it has spent $2.50 of $10.00 (25.0%) from ${thisMonth()}.\n`,
    );
    await user.run(['budget', '--per', 'feature', '--amount', '1', '--name', 'Per feature']);
    const empty = await user.run(['budget', 'usage', 'Per feature']);
    expect(empty.stdout.split('\n')[1]).toBe('No feature has spent in this period yet.');
    const missing = await user.run(['budget', 'usage', 'Nope']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe('Error: No budget has the id or name "Nope"; `llmlab budget` lists them.\n');
  });
});

describe('llmlab budget scoped to an end user, a key and tags', () => {
  it('sets a budget counting one end user with given tags, and reads its scope back', async () => {
    const user = await newUser();
    const set = await user.run(['budget', '--amount', '50', '--scope-model', 'gpt-4o', '--end-user', 'alice', '--tag', 'team=search', '--tag', 'env=prod']);
    expect(set.stdout).toBe('✔ Set monthly budget of $50.00 for model gpt-4o, end user alice, tag team=search, tag env=prod · spent $0.00 (0.0%)\n');
    const [budget] = JSON.parse((await user.run(['budget', '--json'])).stdout);
    expect(budget.scope).toEqual({ model: 'gpt-4o', end_user: 'alice', tags: { team: 'search', env: 'prod' } });

    const template = await user.run(['budget', '--amount', '5', '--per', 'end_user', '--scope-model', 'gpt-4o']);
    expect(template.stdout).toContain('for each end user within model gpt-4o');

    const badKey = await user.run(['budget', '--amount', '5', '--api-key-id', 'no-such-key']);
    expect(badKey.code).toBe(1);
    expect(badKey.stderr).toContain('no API key no-such-key in this project');
  });

  it('refuses bad template and scope flags with exit 2, before any request', async () => {
    // Nothing listens on port 9: a request would fail with exit 1, not 2.
    const run = (args: string[]) => runCli(args, { env: { LLMLAB_BASE_URL: 'http://127.0.0.1:9', LLMLAB_API_KEY: 'llmlab_unused' } });
    const cases: [string[], string][] = [
      [['budget', '--amount', '5', '--tag', 'team'], 'error: option \'--tag <key=value>\' argument \'team\' is invalid. "team" is not a tag; use key=value, such as team=search.\n'],
      [['budget', '--amount', '5', '--tag', 'team=a', '--tag', 'team=b'], 'Tag "team" is given twice; a call carries one value per tag.'],
      [['budget', '--amount', '5', '--per', 'customer'], "argument 'customer' is invalid. Allowed choices are end_user, api_key, feature."],
      [['budget', '--amount', '5', '--end-user', '  '], 'is not a value to count; give 1 to 200 characters.'],
      [['budget', '--per', 'end_user'], 'Error: Setting a budget needs --amount; run `llmlab budget` alone to list budgets.\n'],
      [['budget', '--tag', 'team=search'], 'Setting a budget needs --amount'],
      [['budget', 'usage'], "error: missing required argument 'budget'"],
      [['budget', 'usage', 'x', '--limit', '0'], '"0" is not a whole number of 1 or more.'],
    ];
    for (const [args, message] of cases) {
      const { code, stderr } = await run(args);
      expect({ args, code }).toEqual({ args, code: 2 });
      expect(stderr).toContain(message);
    }
  });
});
