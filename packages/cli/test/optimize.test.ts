import { signupUser, startServerProcess } from '@llmlab/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatMoney } from '../src/output/format.js';
import { cliUser } from './helpers.js';

let server: Awaited<ReturnType<typeof startServerProcess>>;

beforeAll(async () => {
  server = await startServerProcess();
});

afterAll(async () => {
  await server?.stop();
});

interface Recommendation {
  title: string;
  estimated_monthly_savings: number;
  savings_percentage: number | null;
  confidence: number | string | null;
}

async function recommendationsOf(apiKey: string): Promise<Recommendation[]> {
  const response = await fetch(`${server.baseUrl}/api/recommendations`, { headers: { authorization: `Bearer ${apiKey}` } });
  expect(response.status).toBe(200);
  const body = (await response.json()) as Recommendation[] | { recommendations: Recommendation[] };
  return Array.isArray(body) ? body : body.recommendations;
}

describe('llmlab optimize', () => {
  it('gives no invented advice for a project without events', async () => {
    const account = await signupUser(server.baseUrl);
    const user = cliUser(server.baseUrl, account.apiKey);
    const { code, stdout } = await user.run(['optimize']);
    expect(code).toBe(0);
    expect(stdout).toBe(
      'No recommendations: there is not enough tracked usage to compare yet. Track some calls and run `llmlab optimize` again.\n',
    );
    expect(JSON.parse((await user.run(['optimize', '--json'])).stdout)).toEqual([]);
  });

  it('prints each recommendation with its dollar savings and confidence, largest first', async () => {
    const account = await signupUser(server.baseUrl);
    const user = cliUser(server.baseUrl, account.apiKey);
    // Material gpt-4 spend across two features, the kind a cheaper model would serve.
    for (const feature of ['summarize', 'chat', 'chat']) {
      const tracked = await user.run(['track', '--provider', 'openai', '--model', 'gpt-4', '--input-tokens', '200000', '--output-tokens', '20000', '--feature', feature]);
      expect(tracked.code).toBe(0);
    }
    const expected = await recommendationsOf(account.apiKey);
    expect(expected.length).toBeGreaterThan(0);

    const json = await user.run(['optimize', '--json']);
    expect(JSON.parse(json.stdout)).toEqual(expected);

    const { code, stdout } = await user.run(['optimize']);
    expect(code).toBe(0);
    const sorted = [...expected].sort((a, b) => b.estimated_monthly_savings - a.estimated_monthly_savings);
    const positions = sorted.map((r, i) => stdout.indexOf(`${i + 1}. ${r.title}`));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    for (const r of sorted) expect(stdout).toContain(`save ${formatMoney(r.estimated_monthly_savings)}/month`);
    expect(stdout).toMatch(/confidence \S+/);
    const total = sorted.reduce((sum, r) => sum + r.estimated_monthly_savings, 0);
    expect(stdout).toContain(`Estimated total: ${formatMoney(total)}/month`);
  });
});
