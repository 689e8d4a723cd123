import { OpenAPIHono } from '@hono/zod-openapi';
import { AppError, HealthAnswer } from '@llmlab/core';
import type { AppContext } from './context.js';
import { Admission, admission } from './http/admission.js';
import { limitBody } from './http/body-limit.js';
import { errorHandler } from './http/errors.js';
import { browserHeaders } from './http/security-headers.js';
import { serveDashboard } from './http/static-web.js';
import { registerAccountRoutes } from './accounts/routes.js';
import { registerAlertRoutes } from './alerts/routes.js';
import { registerAnomalyRoutes } from './anomalies/routes.js';
import { registerAuditRoutes } from './audit/routes.js';
import { registerBillingRoutes } from './billing/routes.js';
import { registerBudgetRoutes } from './budgets/routes.js';
import { registerEventRoutes } from './events/routes.js';
import { registerExperimentRoutes } from './experiments/routes.js';
import { registerForecastRoutes } from './forecast/routes.js';
import { registerGatewayKeyRoutes } from './gateway-keys/routes.js';
import { registerInvitationRoutes } from './invitations/routes.js';
import { registerKeyRoutes } from './keys/routes.js';
import { registerMemberRoutes } from './members/routes.js';
import { registerOrgRoutes } from './orgs/routes.js';
import { registerOtlpRoutes } from './otlp/routes.js';
import { registerPriceRoutes } from './prices/routes.js';
import { registerProjectRoutes } from './projects/routes.js';
import { registerRateLimitRoutes } from './rate-limits/routes.js';
import { gatewayNodeEntry, type NodeEntry } from './proxy/node-entry.js';
import { registerProxyRoutes } from './proxy/routes.js';
import { registerRecommendationRoutes } from './recommendations/routes.js';
import { registerRetentionRoutes } from './retention/routes.js';
import { registerSessionRoutes } from './sessions/routes.js';
import { registerSsoRoutes } from './sso/routes.js';
import { registerRollupCheckRoute, registerUsageRoutes } from './usage/routes.js';

export const MAX_BODY_BYTES = 5 * 1024 * 1024;

const DOCUMENT_INFO = {
  openapi: '3.1.0',
  info: { title: 'LLMLab API', version: '0.1.0', description: 'Track, price and control the cost of LLM API calls.' },
};

/** The OpenAPI document the app serves at /api/openapi.json. */
export function apiDocument(app: OpenAPIHono) {
  return app.getOpenAPI31Document(DOCUMENT_INFO);
}

/**
 * The whole HTTP surface: API, OpenAPI document, health and the dashboard, plus `nodeEntry`,
 * which the Node server tries first so proxied calls skip the web-request layer (see node-entry.ts).
 */
export function createApp(ctx: AppContext, options: { webDist?: string } = {}): OpenAPIHono & { nodeEntry: NodeEntry } {
  const app = new OpenAPIHono();
  app.onError(errorHandler(ctx.log));
  app.notFound((c) => c.json(new AppError('not_found', `no route ${c.req.method} ${c.req.path}`).toBody(), 404));
  // Proxied and OTLP answers go to API clients, not browsers: they are relayed as the upstream sent them.
  const headers = browserHeaders();
  app.use('*', (c, next) => (c.req.path.startsWith('/proxy/') || c.req.path.startsWith('/v1/') ? next() : headers(c, next)));
  const gate = new Admission(ctx.config.maxInflight);
  app.use('*', admission(gate));
  app.use('/api/*', limitBody(MAX_BODY_BYTES));

  app.get('/health', (c) => c.json({ status: 'ok', database: ctx.db.dialect } satisfies HealthAnswer));
  app.openAPIRegistry.registerPath({
    method: 'get', path: '/health', tags: ['health'], summary: 'Liveness, and which database the server uses', security: [],
    responses: { 200: { description: 'Success', content: { 'application/json': { schema: HealthAnswer } } } },
  });
  // The API document lists the routes in this order.
  registerAccountRoutes(app, ctx);
  registerSsoRoutes(app, ctx);
  registerEventRoutes(app, ctx);
  registerUsageRoutes(app, ctx);
  registerSessionRoutes(app, ctx);
  registerBudgetRoutes(app, ctx);
  registerRateLimitRoutes(app, ctx);
  registerProjectRoutes(app, ctx);
  registerKeyRoutes(app, ctx);
  registerMemberRoutes(app, ctx);
  registerInvitationRoutes(app, ctx);
  registerOrgRoutes(app, ctx);
  registerAuditRoutes(app, ctx);
  registerPriceRoutes(app, ctx);
  const gateway = registerProxyRoutes(app, ctx);
  registerGatewayKeyRoutes(app, ctx);
  registerOtlpRoutes(app, ctx);
  registerForecastRoutes(app, ctx);
  registerAnomalyRoutes(app, ctx);
  registerExperimentRoutes(app, ctx);
  registerRecommendationRoutes(app, ctx);
  registerAlertRoutes(app, ctx);
  registerRollupCheckRoute(app, ctx);
  registerRetentionRoutes(app, ctx);
  registerBillingRoutes(app, ctx);

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer', description: 'A project API key (llmlab_...) or a session token (llms_...)' });
  app.doc31('/api/openapi.json', DOCUMENT_INFO);
  serveDashboard(app, options.webDist);
  return Object.assign(app, { nodeEntry: gatewayNodeEntry(gateway, gate) });
}
