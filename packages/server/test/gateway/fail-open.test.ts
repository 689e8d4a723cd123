import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findPgBin, type PgCluster, startPgCluster } from '../helpers/pg-cluster.js';
import { signupUser } from '../helpers/server-process.js';
import { type GatewayStack, stackFor, startGatewayStack } from './gateway-stack.js';

const ask = (s: GatewayStack, feature: string) =>
  s.openai({ headers: { 'x-llmlab-feature': feature } }).chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });

describe('the proxy while PostgreSQL is down', () => {
  let cluster: PgCluster;
  let s: GatewayStack;
  beforeAll(async () => {
    const bin = findPgBin();
    if (!bin) throw new Error('PostgreSQL server binaries are needed for the fail-open test (Debian: apt-get install postgresql)');
    cluster = await startPgCluster(bin);
    s = await startGatewayStack({ env: { DATABASE_URL: cluster.url } });
  }, 120_000);
  afterAll(async () => {
    await s?.stop();
    cluster?.destroy();
  });

  it('keeps calls flowing, buffers their usage and writes it when the database is back; fail-closed projects get 503', async () => {
    const closedUser = await signupUser(s.server.baseUrl);
    const closed = stackFor(s.server, s.upstream, closedUser, false);
    expect((await closed.api('/api/gateway/settings', { method: 'PATCH', body: { fail_mode: 'closed' } })).status).toBe(200);
    const coldUser = await signupUser(s.server.baseUrl);
    const cold = stackFor(s.server, s.upstream, coldUser, false);
    await ask(s, 'before');
    await ask(closed, 'before');

    cluster.stop();
    const during = await Promise.all(Array.from({ length: 5 }, () => ask(s, 'during-outage')));
    expect(during.map((c) => c.choices[0].message.content)).toEqual(Array(5).fill('Hello from the fake upstream.'));
    // A key first seen during the outage is forwarded too, and resolved when the database is back.
    expect((await ask(cold, 'cold-key')).usage?.prompt_tokens).toBe(1200);
    const refused = await ask(closed, 'during-outage').catch((e: unknown) => e);
    expect(refused).toMatchObject({ status: 503, type: 'server_error', message: expect.stringContaining('set to fail closed') });

    cluster.start();
    const recorded = await s.waitForEvents(5, { feature: 'during-outage' });
    expect(recorded.map((e) => [e.input_tokens, e.output_tokens, e.cost_nanos, e.status])).toEqual(Array(5).fill([1200, 300, 176 * 150 + 1024 * 75 + 300 * 600, 'success']));
    expect(await cold.waitForEvents(1, { feature: 'cold-key' })).toHaveLength(1);
    expect(await closed.waitForEvents(1, { feature: 'during-outage' })).toHaveLength(0);
    expect(s.server.logs()).toContain('database unavailable: proxy usage is buffered in memory');
  });
});
