import type { OpenAPIHono } from '@hono/zod-openapi';
import { AlertChannelAnswer, AlertChannelListAnswer, AlertEvaluationAnswer, ChannelTestAnswer, FiredAlertListAnswer, SuccessAnswer } from '@llmlab/core';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { defineRoute } from '../http/define-route.js';
import { ChannelInput, ChannelPatch, createChannel, deleteChannel, listChannels, updateChannel } from './channels.js';
import { evaluateAlertsNow } from './evaluate-alerts-now.js';
import { listAlerts } from './list-alerts.js';
import { testChannel } from './test-channel.js';

const Id = z.object({ id: z.string().min(1).max(64) });
const NO_CHANNEL = { 404: 'No such alert channel in the org' };

export function registerAlertRoutes(app: OpenAPIHono, ctx: AppContext) {
  defineRoute(app, ctx, { method: 'get', path: '/api/alert-channels', tag: 'alerts', summary: 'The org\'s alert channels', auth: 'read', role: 'viewer', response: AlertChannelListAnswer }, async ({ ctx }) => ({ channels: await listChannels({ ctx }) }));
  defineRoute(app, ctx, {
    method: 'post', path: '/api/alert-channels', tag: 'alerts', auth: 'admin', role: 'admin', status: 201, body: ChannelInput, response: AlertChannelAnswer,
    description: 'Webhooks carry `x-llmlab-signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">`. A target on a private network is refused unless the server allows it.',
    summary: 'Add a webhook (signed with the secret returned once), Slack incoming webhook or email channel',
  }, ({ ctx, body }) => createChannel({ ctx, input: body }));
  defineRoute(app, ctx, { method: 'patch', path: '/api/alert-channels/{id}', tag: 'alerts', summary: 'Rename, retarget, enable or disable a channel', auth: 'admin', role: 'admin', params: Id, body: ChannelPatch, response: AlertChannelAnswer, errors: NO_CHANNEL }, ({ ctx, params, body }) => updateChannel({ ctx, id: params.id, input: body }));
  defineRoute(app, ctx, { method: 'delete', path: '/api/alert-channels/{id}', tag: 'alerts', summary: 'Delete a channel', auth: 'admin', role: 'admin', params: Id, response: SuccessAnswer, errors: NO_CHANNEL }, async ({ ctx, params }) => {
    await deleteChannel({ ctx, id: params.id });
    return { success: true } as const;
  });
  defineRoute(app, ctx, {
    method: 'post', path: '/api/alert-channels/{id}/test', tag: 'alerts', auth: 'admin', role: 'member', params: Id, response: ChannelTestAnswer,
    errors: { 400: 'Invalid input; or email is not configured on the server (SMTP_HOST)', ...NO_CHANNEL, 502: 'The target did not take the alert; the message says what it answered' },
    summary: 'Send a test alert through the channel now: { delivered: true }, or 502 naming what the target answered',
  }, ({ ctx, params }) => testChannel({ ctx, id: params.id }));
  defineRoute(app, ctx, {
    method: 'get', path: '/api/alerts', tag: 'alerts', auth: 'read', role: 'viewer', summary: 'Fired alerts with their delivery status, newest first', response: FiredAlertListAnswer,
    query: z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) }),
  }, async ({ ctx, query }) => ({ alerts: await listAlerts({ ctx, input: query }) }));
  defineRoute(app, ctx, {
    method: 'post', path: '/api/alerts/evaluate', tag: 'alerts', auth: 'admin', role: 'admin', response: AlertEvaluationAnswer,
    summary: 'Check budgets, forecasts, anomalies and unpriced calls now (the server also does it every minute)',
  }, ({ ctx }) => evaluateAlertsNow({ ctx }));
}
