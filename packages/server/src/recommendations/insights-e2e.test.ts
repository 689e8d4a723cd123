import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkedFetch } from '../../test/helpers/contract.js';
import { type ServerProcess, signupUser, startServerProcess } from '../../test/helpers/server-process.js';

const DAY = 86_400_000;

describe('forecast, anomalies and recommendations on the real server', () => {
  let server: ServerProcess;
  beforeAll(async () => {
    server = await startServerProcess();
  });
  afterAll(() => server?.stop());

  const get = async (path: string, token: string) => {
    const res = await checkedFetch(`${server.baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> & unknown[] };
  };

  it('answers from events tracked over HTTP', async () => {
    const user = await signupUser(server.baseUrl);
    const now = Date.now();
    // 300 gpt-4 calls of 1,000 + 500 tokens ($0.06 each, $18) over the last 29 days.
    const events = Array.from({ length: 300 }, (_v, i) => ({
      provider: 'openai', model: 'gpt-4', input_tokens: 1000, output_tokens: 500, feature: 'support',
      timestamp: new Date(now - (i * 29 * DAY) / 300).toISOString(),
    }));
    const post = await checkedFetch(`${server.baseUrl}/api/events/batch`, {
      method: 'POST',
      headers: { authorization: `Bearer ${user.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ events }),
    });
    expect(post.status).toBe(200);

    const recs = await get('/api/recommendations', user.apiKey);
    expect(recs.status).toBe(200);
    // $18 over 29 days on gpt-4; $1.80 on gpt-4.1: $16.20 saved in the window, scaled by 30/29
    // (the window is counted in whole days from the first hour with usage).
    const sw = (recs.body as { id: string; estimated_monthly_savings: number; savings_percentage: number }[]).find((r) => r.id === 'model_switch:openai/gpt-4');
    expect(sw?.savings_percentage).toBe(90);
    expect(sw?.estimated_monthly_savings).toBeGreaterThanOrEqual(16.2);
    expect(sw?.estimated_monthly_savings).toBeLessThanOrEqual(16.76);

    const forecast = await get('/api/costs/forecast', user.apiKey);
    expect(forecast.status).toBe(200);
    expect(forecast.body.projected_spend as number).toBeGreaterThanOrEqual(forecast.body.spent as number);
    expect(forecast.body.low as number).toBeLessThanOrEqual(forecast.body.projected_spend as number);
    expect(forecast.body.high as number).toBeGreaterThanOrEqual(forecast.body.projected_spend as number);

    const anomalies = await get('/api/anomalies', user.apiKey);
    expect(anomalies.status).toBe(200);
    expect(anomalies.body.anomalies).toEqual([]);

    const unauthenticated = await checkedFetch(`${server.baseUrl}/api/recommendations`);
    expect(unauthenticated.status).toBe(401);
  });
});
