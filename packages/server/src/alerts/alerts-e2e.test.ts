import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkedFetch } from '../../test/helpers/contract.js';
import { type ServerProcess, signupUser, startServerProcess } from '../../test/helpers/server-process.js';
import { startReceiver, startSmtpSink } from './test-receivers.js';

type Json = Record<string, unknown>;

/** The Subject header of a raw message, its RFC 2047 encoded words decoded. */
function subjectOf(raw: string): string {
  const header = /^Subject: (.*(?:\r\n[ \t].*)*)/m.exec(raw)?.[1] ?? '';
  return header
    .replace(/\?=\r\n[ \t]+=\?/g, '?==?')
    .replace(/\?= =\?/g, '?==?')
    .replace(/=\?UTF-8\?Q\?(.*?)\?=/gi, (_m, text: string) => text.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (_x, hex: string) => String.fromCharCode(Number.parseInt(hex, 16))));
}

describe('alerts on the real server, delivered to a local webhook receiver, Slack receiver and SMTP sink', () => {
  let a: ServerProcess;
  let b: ServerProcess;
  let hook: Awaited<ReturnType<typeof startReceiver>>;
  let slack: Awaited<ReturnType<typeof startReceiver>>;
  let smtp: Awaited<ReturnType<typeof startSmtpSink>>;

  beforeAll(async () => {
    [hook, slack, smtp] = await Promise.all([startReceiver({ failFirst: 1 }), startReceiver(), startSmtpSink()]);
    const env = { LLMLAB_WEBHOOK_ALLOW_PRIVATE: 'true', SMTP_HOST: '127.0.0.1', SMTP_PORT: String(smtp.port), SMTP_FROM: 'LLMLab <alerts@example.com>' };
    a = await startServerProcess({ env });
    // A second process on the same database: each alert must still fire once.
    b = await startServerProcess({ env: { ...env, DATABASE_URL: `sqlite:${a.dataDir}/llmlab.db` } });
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop(), hook?.close(), slack?.close(), smtp?.close()]);
  });

  const call = async (server: ServerProcess, token: string, method: string, path: string, body?: unknown) => {
    const res = await checkedFetch(`${server.baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, body: (await res.json()) as Json };
  };
  /** n gpt-4 calls of 1,000 + 500 tokens: $0.06 each. */
  const spend = (server: ServerProcess, key: string, n: number) =>
    call(server, key, 'POST', '/api/events/batch', { events: Array.from({ length: n }, () => ({ provider: 'openai', model: 'gpt-4', input_tokens: 1000, output_tokens: 500 })) });

  it('fires each budget threshold once, signed, retried, on every channel, even with two processes', async () => {
    const user = await signupUser(a.baseUrl);
    const webhook = await call(a, user.token, 'POST', '/api/alert-channels', { type: 'webhook', name: 'ops', url: `${hook.url}/llmlab` });
    expect(webhook.status).toBe(201);
    const secret = webhook.body.secret as string;
    expect(secret).toMatch(/^whsec_/);
    expect((await call(a, user.token, 'POST', '/api/alert-channels', { type: 'slack', url: `${slack.url}/services/T0/B0/x` })).status).toBe(201);
    expect((await call(a, user.token, 'POST', '/api/alert-channels', { type: 'email', email: 'finance@example.com' })).status).toBe(201);
    const listed = await call(a, user.apiKey, 'GET', '/api/alert-channels');
    expect((listed.body.channels as Json[]).map((c) => c.type)).toEqual(['webhook', 'slack', 'email']);
    expect((listed.body.channels as Json[])[0].secret).toBeUndefined();

    const budget = await call(a, user.token, 'POST', '/api/budgets', { name: 'LLM spend', amount: 1, period: 'monthly' });
    expect(budget.status).toBe(201);
    await spend(a, user.apiKey, 9); // $0.54: 54%

    const [first, second] = await Promise.all([
      call(a, user.token, 'POST', '/api/alerts/evaluate'),
      call(b, user.token, 'POST', '/api/alerts/evaluate'),
    ]);
    const fired = [...(first.body.fired as Json[]), ...(second.body.fired as Json[])].filter((x) => x.type === 'budget');
    expect(fired.map((x) => x.threshold)).toEqual([50]);
    expect(fired[0].message).toBe('Budget "LLM spend" reached 50%: $0.54 of $1.00 this month');

    const alerts = await call(a, user.apiKey, 'GET', '/api/alerts');
    const budgetAlert = (alerts.body.alerts as Json[]).find((x) => x.type === 'budget') as Json;
    const deliveries = budgetAlert.deliveries as Json[];
    expect(deliveries.map((d) => [d.channel_type, d.status]).sort()).toEqual([['email', 'delivered'], ['slack', 'delivered'], ['webhook', 'delivered']]);
    // The receiver answered 500 once: the webhook went through on its second attempt.
    expect(deliveries.find((d) => d.channel_type === 'webhook')?.attempts).toBe(2);

    const delivered = hook.received.find((r) => JSON.parse(r.body).id === budgetAlert.id);
    expect(delivered?.path).toBe('/llmlab');
    const [t, v1] = String(delivered?.headers['x-llmlab-signature']).split(',');
    const expected = createHmac('sha256', secret).update(`${t.slice(2)}.${delivered?.body}`).digest('hex');
    expect(v1).toBe(`v1=${expected}`);
    expect(JSON.parse(delivered?.body ?? '{}')).toMatchObject({ type: 'budget', threshold: 50, data: { budget: 1, spent: 0.54, percentage: 54 } });
    expect(slack.received.some((r) => JSON.parse(r.body).text.includes('reached 50%'))).toBe(true);
    const mail = smtp.messages.find((m) => m.data.includes('reached 50%'));
    expect(mail?.to).toEqual(['finance@example.com']);
    expect(subjectOf(mail?.data ?? '')).toBe('[LLMLab] Budget "LLM spend" reached 50%: $0.54 of $1.00 this month');

    // Nothing new fires until spend moves on; then 80% and 100% fire, once each.
    const again = await call(b, user.token, 'POST', '/api/alerts/evaluate');
    expect((again.body.fired as Json[]).filter((x) => x.type === 'budget')).toEqual([]);
    await spend(b, user.apiKey, 8); // $1.02
    const [c, d] = await Promise.all([call(a, user.token, 'POST', '/api/alerts/evaluate'), call(b, user.token, 'POST', '/api/alerts/evaluate')]);
    const later = [...(c.body.fired as Json[]), ...(d.body.fired as Json[])].filter((x) => x.type === 'budget').map((x) => x.threshold);
    expect(later.sort()).toEqual([100, 80]);
    const all = await call(a, user.apiKey, 'GET', '/api/alerts');
    expect((all.body.alerts as Json[]).filter((x) => x.type === 'budget')).toHaveLength(3);
  });

  it('refuses channels without a target and API keys without the admin scope', async () => {
    const user = await signupUser(a.baseUrl);
    const missing = await call(a, user.token, 'POST', '/api/alert-channels', { type: 'webhook' });
    expect(missing.status).toBe(400);
    expect((missing.body.error as Json).message).toBe('url: required for a webhook channel');
    const asKey = await call(a, user.apiKey, 'POST', '/api/alert-channels', { type: 'email', email: 'x@example.com' });
    expect(asKey.status).toBe(403);
  });
});
