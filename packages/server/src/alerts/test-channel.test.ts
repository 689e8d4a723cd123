import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, newTenant, type TestTenant } from '../../test/helpers/accounts.js';
import { createTestApp, type TestApp } from '../../test/helpers/test-app.js';
import { startReceiver, startSmtpSink } from './test-receivers.js';

type Json = Record<string, unknown>;
type Answer = { status: number; body: Json };

describe('POST /api/alert-channels/{id}/test against a local webhook receiver and SMTP sink', () => {
  let app: TestApp;
  let hook: Awaited<ReturnType<typeof startReceiver>>;
  let smtp: Awaited<ReturnType<typeof startSmtpSink>>;

  beforeAll(async () => {
    [app, hook, smtp] = await Promise.all([createTestApp(), startReceiver({ failFirst: 1 }), startSmtpSink()]);
    app.ctx.config.webhookAllowPrivate = true;
    app.ctx.config.smtp = { ...app.ctx.config.smtp, host: '127.0.0.1', port: smtp.port, from: 'LLMLab <alerts@example.com>' };
  });
  afterAll(async () => {
    await Promise.all([app?.close(), hook?.close(), smtp?.close()]);
  });

  const addChannel = async (t: TestTenant, body: Json) => {
    const res = await app.request('/api/alert-channels', { token: t.token, body });
    expect(res.status).toBe(201);
    return (await res.json()) as { id: string; secret?: string };
  };
  /** As the dashboard sends it: an empty JSON object, the project in the query. */
  const sendTest = async (t: TestTenant, id: string, token = t.token): Promise<Answer> => {
    const res = await app.request(`/api/alert-channels/${id}/test?project_id=${t.projectId}`, { token, body: {} });
    return { status: res.status, body: (await res.json()) as Json };
  };
  const errorOf = (a: Answer) => (a.body.error as { code: string; message: string });
  const alertsOf = async (t: TestTenant) => (await json<{ alerts: Json[] }>(app.request('/api/alerts', { token: t.token }))).alerts;

  it('signs a test webhook like an alert, says when the target answered 500, and records no alert', async () => {
    const t = await newTenant(app);
    const channel = await addChannel(t, { type: 'webhook', name: 'ops', url: `${hook.url}/llmlab` });

    // The receiver answers 500 once: the test is sent once, not retried, and says so.
    const failed = await sendTest(t, channel.id);
    expect(failed.status).toBe(502);
    expect(errorOf(failed)).toEqual({ code: 'bad_gateway', message: `test alert not delivered to the webhook channel "ops": ${new URL(hook.url).host} answered HTTP 500` });
    expect(hook.received).toHaveLength(0);

    const ok = await sendTest(t, channel.id);
    expect(ok).toEqual({ status: 200, body: { delivered: true } });
    expect(hook.received).toHaveLength(1);
    const [r] = hook.received;
    expect(r.path).toBe('/llmlab');
    const [ts, v1] = String(r.headers['x-llmlab-signature']).split(',');
    expect(v1).toBe(`v1=${createHmac('sha256', channel.secret ?? '').update(`${ts.slice(2)}.${r.body}`).digest('hex')}`);
    expect(JSON.parse(r.body)).toMatchObject({
      type: 'test',
      project_id: t.projectId,
      budget_id: null,
      threshold: null,
      message: 'Test alert: the webhook channel "ops" works. No budget was reached; nothing needs doing.',
      data: { test: true, channel_id: channel.id },
    });
    expect(await alertsOf(t)).toEqual([]);
  });

  it('names a refused connection', async () => {
    const t = await newTenant(app);
    const gone = await startReceiver();
    await gone.close();
    const channel = await addChannel(t, { type: 'webhook', name: 'gone', url: gone.url });
    const res = await sendTest(t, channel.id);
    expect(res.status).toBe(502);
    expect(errorOf(res).message).toBe(`test alert not delivered to the webhook channel "gone": ${new URL(gone.url).host}: connection refused`);
  });

  it('posts a Slack test message', async () => {
    const t = await newTenant(app);
    const slack = await startReceiver();
    try {
      const channel = await addChannel(t, { type: 'slack', url: `${slack.url}/services/T0/B0/x` });
      expect(await sendTest(t, channel.id)).toEqual({ status: 200, body: { delivered: true } });
      expect(slack.received.map((r) => JSON.parse(r.body))).toEqual([
        { text: ':white_check_mark: *LLMLab test*: Test alert: the Slack channel "slack channel" works. No budget was reached; nothing needs doing.' },
      ]);
    } finally {
      await slack.close();
    }
  });

  it('mails a test to the SMTP sink, and names an SMTP failure or missing SMTP settings', async () => {
    const t = await newTenant(app);
    const address = `test-${t.projectId}@example.com`;
    const channel = await addChannel(t, { type: 'email', name: 'finance', email: address });
    expect(await sendTest(t, channel.id)).toEqual({ status: 200, body: { delivered: true } });
    const mail = smtp.messages.find((m) => m.to.includes(address));
    expect(mail?.data.replace(/=\r\n/g, '')).toContain('Test alert: the email channel "finance" works.');

    const sink = app.ctx.config.smtp;
    const closed = await startSmtpSink();
    await closed.close();
    try {
      app.ctx.config.smtp = { ...sink, port: closed.port };
      const refused = await sendTest(t, channel.id);
      expect(refused.status).toBe(502);
      expect(errorOf(refused).message).toMatch(new RegExp(`^test alert not delivered to the email channel "finance": SMTP error from 127\\.0\\.0\\.1:${closed.port}: .*ECONNREFUSED`));
      app.ctx.config.smtp = { ...sink, host: undefined };
      const unset = await sendTest(t, channel.id);
      expect(unset.status).toBe(400);
      expect(errorOf(unset).message).toBe('SMTP is not configured: set SMTP_HOST (and SMTP_PORT, SMTP_USER, SMTP_PASSWORD, SMTP_FROM)');
    } finally {
      app.ctx.config.smtp = sink;
    }
    expect(await alertsOf(t)).toEqual([]);
  });

  it('answers 404 for another org\'s channel and 403 to a key without the admin scope', async () => {
    const a = await newTenant(app);
    const b = await newTenant(app);
    const channel = await addChannel(a, { type: 'email', email: 'a@example.com' });
    const other = await sendTest(b, channel.id);
    expect(other.status).toBe(404);
    expect(errorOf(other).message).toBe(`alert channel ${channel.id} not found`);
    expect((await sendTest(a, channel.id, a.apiKey)).status).toBe(403);
  });
});
