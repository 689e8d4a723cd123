import { describe, expect, it } from 'vitest';
import { newTenant } from '../../test/helpers/accounts.js';
import { databases } from '../../test/helpers/databases.js';
import { useTestApp } from '../../test/helpers/test-app.js';
import type { TenantContext } from '../context.js';
import { readUsageAggregates } from './read-usage-aggregates.js';

const NOW = Date.parse('2026-11-27T12:00:00Z');
const MINUTE = 60_000;
const DAY = 86_400_000;

describe.each(databases())('usage aggregates for advice on $name', ({ url }) => {
  const app = useTestApp({ url }, NOW);

  it('counts repeats in the latest raw events and scales them to the calls of the whole range', async () => {
    const t = await newTenant(app);
    // 400 support calls, one every 100 minutes: the newest 100 send 50 requests twice each, the older 300 are all different.
    const events = Array.from({ length: 400 }, (_v, i) => ({
      provider: 'openai', model: 'gpt-4', input_tokens: 1000, output_tokens: 100, feature: 'support',
      request_hash: i < 100 ? `repeat-${Math.floor(i / 2)}` : `unique-${i}`, timestamp: new Date(NOW - (i + 1) * 100 * MINUTE).toISOString(),
    }));
    expect((await app.request('/api/events/batch', { token: t.apiKey, body: { events } })).status).toBe(200);
    const ctx: TenantContext = { ...app.ctx, actor: { kind: 'api_key', orgId: t.orgId, projectId: t.projectId, scopes: new Set(['read']) } };
    const read = async (recent?: number) => (await readUsageAggregates(ctx, NOW - 30 * DAY, NOW, 'UTC', recent)).usage.find((u) => u.feature === 'support');
    // All 400 read: the 50 repeats as they are.
    expect(await read()).toMatchObject({ calls: 400, repeated_requests: 50 });
    // The newest 100 read: 50 repeats in 100 calls, a quarter of the range's 400, so 200.
    expect(await read(100)).toMatchObject({ calls: 400, repeated_requests: 200 });
  });
});
