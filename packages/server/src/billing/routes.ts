import type { OpenAPIHono } from '@hono/zod-openapi';
import { BILLING_PROVIDERS, BillingConnectionAnswer, BillingConnectionInput, BillingConnectionListAnswer, BillingConnectionPatch, BillingRange, ReconcileAnswer, ReconcileInput, ReconciliationAnswer, SuccessAnswer } from '@llmlab/core';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { defineRoute } from '../http/define-route.js';
import { deleteBillingConnection, listBillingConnections, setBillingConnection, updateBillingConnection } from './connections.js';
import { getReconciliation, MAX_COMPARE_DAYS } from './get-reconciliation.js';
import { MAX_RECONCILE_DAYS, reconcileNow } from './reconcile-now.js';

const ProviderParam = z.object({ provider: z.enum(BILLING_PROVIDERS, { error: `provider must be one of ${BILLING_PROVIDERS.join(', ')}` }) });

/** Reconciliation with the providers' bills: the org's admin keys, reading the bills, and the comparison. */
export function registerBillingRoutes(app: OpenAPIHono, ctx: AppContext) {
  const tag = 'billing';
  defineRoute(app, ctx, {
    method: 'get', path: '/api/billing/connections', tag, auth: 'read', role: 'viewer', response: BillingConnectionListAnswer,
    summary: "The org's billing connections: the admin key's last four characters, the alert thresholds and the last sync",
  }, async ({ ctx }) => ({ connections: await listBillingConnections({ ctx }) }));
  defineRoute(app, ctx, {
    method: 'put', path: '/api/billing/connections/{provider}', tag, auth: 'admin', role: 'admin', params: ProviderParam, body: BillingConnectionInput, response: BillingConnectionAnswer,
    summary: "Store the org's admin key for a provider's cost API, and the alert thresholds",
    description:
      'OpenAI: an admin key (sk-admin-...), read with GET /v1/organization/costs. Anthropic: an Admin API key (sk-ant-admin...), read with GET /v1/organizations/cost_report. ' +
      'Encrypted at rest with AES-256-GCM under a key derived from LLMLAB_SECRET; never returned. The key sees the whole provider organization, so the bill is compared with what every project of the LLMLab org tracked. Replacing the key clears the last sync status.',
  }, ({ ctx, params, body }) => setBillingConnection({ ctx, provider: params.provider, input: body }));
  defineRoute(app, ctx, {
    method: 'patch', path: '/api/billing/connections/{provider}', tag, auth: 'admin', role: 'admin', params: ProviderParam, body: BillingConnectionPatch, response: BillingConnectionAnswer,
    summary: 'Change the alert thresholds of a billing connection', errors: { 404: 'No connection of this provider is stored for the org' },
    description: 'A settled day alerts once when the difference between the bill and what LLMLab tracked passes every threshold set (null removes one).',
  }, ({ ctx, params, body }) => updateBillingConnection({ ctx, provider: params.provider, input: body }));
  defineRoute(app, ctx, {
    method: 'delete', path: '/api/billing/connections/{provider}', tag, auth: 'admin', role: 'admin', params: ProviderParam, response: SuccessAnswer,
    summary: 'Forget the admin key of a provider and the bills read with it', errors: { 404: 'No connection of this provider is stored for the org' },
  }, async ({ ctx, params }) => {
    await deleteBillingConnection({ ctx, provider: params.provider });
    return { success: true } as const;
  });
  defineRoute(app, ctx, {
    method: 'post', path: '/api/billing/reconcile', tag, auth: 'admin', role: 'admin', body: ReconcileInput, response: ReconcileAnswer,
    summary: "Read the providers' bills now for UTC days from..to (default: today and the 3 days before), store them and answer the comparison",
    description: `At most ${MAX_RECONCILE_DAYS} days. The daily job does the same for the last days on its own. A provider's error is the connection's last_error and the answer.`,
    errors: {
      400: 'Invalid range, or the provider refused the admin key (the message names the provider and what it said)',
      404: 'No billing connection (of this provider) is stored for the org',
      429: 'The provider rate-limited its cost API (Retry-After says when to try again)',
      502: "The provider's cost API failed or could not be reached (the message says how)",
    },
  }, ({ ctx, body }) => reconcileNow({ ctx, input: body }));
  defineRoute(app, ctx, {
    method: 'get', path: '/api/billing/reconciliation', tag, auth: 'read', role: 'viewer', query: z.object(BillingRange), response: ReconciliationAnswer,
    summary: 'What LLMLab tracked against what each connected provider billed, per UTC day and model',
    description:
      `From stored bills (read by the daily job or POST /api/billing/reconcile); the providers are not called. Default: the last 30 days; at most ${MAX_COMPARE_DAYS}. ` +
      'Tracked is the sum over every project of the org from the hourly rollups. A day is settled 48 hours after it ends; before, the provider may still add to it.',
  }, ({ ctx, query }) => getReconciliation({ ctx, input: query }));
}
