import { describe, expect, it } from 'vitest';
import { json, newTenant } from '../../test/helpers/accounts.js';
import { databases } from '../../test/helpers/databases.js';
import { useTestApp } from '../../test/helpers/test-app.js';

const NOW = Date.parse('2026-11-27T18:00:00Z');
const DAY = 86_400_000;

interface Found { metric: string; dimension: string; key: string; timestamp: string; excess: number; score: number; drivers: { kind: string; key: string; excess: number; share: number }[] }

describe.each(databases())('GET /api/anomalies on $name', ({ url }) => {
  const app = useTestApp({ url }, NOW);

  it('finds the day a customer ran up $60 on a new feature, and no ordinary day', async () => {
    const t = await newTenant(app);
    // 60 days of chat: $3 on weekdays, $0.60 on weekends (gpt-4, 100,000 / 20,000 input tokens).
    const events: Record<string, unknown>[] = [];
    for (let d = 60; d >= 0; d--) {
      const at = NOW - d * DAY - 6 * 3_600_000;
      const weekend = [0, 6].includes(new Date(at).getUTCDay());
      events.push({ provider: 'openai', model: 'gpt-4', input_tokens: weekend ? 20_000 : 100_000, output_tokens: 0, feature: 'chat', user_id: `user-${d % 5}`, timestamp: new Date(at).toISOString() });
    }
    // Two days ago: 20 calls of $3 from customer-42 on bulk-export.
    for (let i = 0; i < 20; i++) {
      events.push({ provider: 'openai', model: 'gpt-4', input_tokens: 100_000, output_tokens: 0, feature: 'bulk-export', user_id: 'customer-42', timestamp: new Date(NOW - 2 * DAY + i * 60_000).toISOString() });
    }
    expect((await app.request('/api/events/batch', { token: t.apiKey, body: { events } })).status).toBe(200);

    const r = await json<{ anomalies: Found[] }>(app.request('/api/anomalies?days=7', { token: t.apiKey }));
    const spend = r.anomalies.filter((a) => a.metric === 'spend');
    // The project, its model, and the new feature (nothing the day before) all jumped.
    expect(spend.map((a) => `${a.dimension}:${a.key}`).sort()).toEqual(['feature:bulk-export', 'model:openai/gpt-4', 'project:all']);
    const project = spend.find((a) => a.dimension === 'project');
    expect(project?.timestamp).toBe('2026-11-25T00:00:00.000Z');
    expect(project?.excess).toBe(60);
    const driver = (kind: string) => project?.drivers.find((d) => d.kind === kind);
    expect(driver('feature')).toMatchObject({ key: 'bulk-export', excess: 60, share: 1 });
    expect(driver('model')).toMatchObject({ key: 'openai/gpt-4', excess: 60, share: 1 });
    expect(driver('user')).toMatchObject({ key: 'customer-42', excess: 60, share: 1 });
  });

  it('answers an empty list for a quiet project and refuses a bad granularity', async () => {
    const t = await newTenant(app);
    expect(await json(app.request('/api/anomalies', { token: t.apiKey }))).toMatchObject({ anomalies: [], granularity: 'day' });
    expect((await app.request('/api/anomalies?granularity=minute', { token: t.apiKey })).status).toBe(400);
  });
});
