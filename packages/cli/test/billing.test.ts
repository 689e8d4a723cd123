import { type FakeCostApis, signupUser, startFakeCostApis, startServerProcess } from '@llmlab/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminKey, cliUser } from './helpers.js';

const DAY_MS = 86_400_000;
let server: Awaited<ReturnType<typeof startServerProcess>>;
let fake: FakeCostApis;

beforeAll(async () => {
  fake = await startFakeCostApis();
  server = await startServerProcess({ env: { LLMLAB_OPENAI_BASE_URL: fake.url, LLMLAB_ANTHROPIC_BASE_URL: fake.url } });
});

afterAll(async () => {
  await server?.stop();
  await fake?.close();
});

describe('llmlab billing', () => {
  it("reads the OpenAI bill and prints it against what LLMLab tracked, with the spend it never saw", async () => {
    const account = await signupUser(server.baseUrl);
    const user = cliUser(server.baseUrl, await adminKey(server.baseUrl, account.token));
    const none = await user.run(['billing']);
    expect(none.code).toBe(0);
    expect(none.stdout).toContain('No provider bill is connected.');

    const day = new Date(Math.floor(Date.now() / DAY_MS) * DAY_MS - 3 * DAY_MS).toISOString().slice(0, 10);
    fake.openai[day] = [{ amount: { value: 41, currency: 'usd' }, line_item: 'web search tool calls', project_id: null }];
    const put = await fetch(`${server.baseUrl}/api/billing/connections/openai`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${account.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ admin_key: fake.openaiKey }),
    });
    expect(put.status).toBe(200);

    const synced = await user.run(['billing', '--sync', '--provider', 'openai']);
    expect(synced.code).toBe(0);
    expect(synced.stdout).toContain('✔ Read OpenAI (4 days, $41.00).');
    expect(synced.stdout).toContain('$41.00 billed by OpenAI that LLMLab never saw: calls outside the SDK and proxy');
    expect(synced.stdout).toMatch(new RegExp(`${day}\\s+OpenAI\\s+\\$0\\.00\\s+\\$41\\.00\\s+\\+\\$41\\.00 \\(100\\.0%\\)\\s+settled`));
    expect(fake.problems).toEqual([]);

    const json = JSON.parse((await user.run(['billing', '--json', '--from', day, '--to', day])).stdout);
    expect(json.providers).toEqual([expect.objectContaining({ provider: 'openai', billed_nanos: 41_000_000_000, tracked_nanos: 0, untracked: 41 })]);

    const bad = await user.run(['billing', '--from', '2026-11-01T10:00:00Z']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('"2026-11-01T10:00:00Z" is not a day; use YYYY-MM-DD');
  });
});
