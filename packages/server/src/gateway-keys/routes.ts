import type { OpenAPIHono } from '@hono/zod-openapi';
import { CACHE_TTL_BOUNDS, GatewaySettingsAnswer, ProviderKeyAnswer, ProviderKeyListAnswer, SuccessAnswer } from '@llmlab/core';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { defineRoute } from '../http/define-route.js';
import { getGatewaySettings, updateGatewaySettings } from './gateway-settings.js';
import { deleteProviderKey, GATEWAY_PROVIDERS, listProviderKeys, setProviderKey } from './provider-keys.js';

const ProviderParam = z.object({ provider: z.enum(GATEWAY_PROVIDERS, { error: `provider must be one of ${GATEWAY_PROVIDERS.join(', ')}` }) });
const KeyBody = z.strictObject({
  key: z.string({ error: 'key must be a string' }).trim().min(8, { error: 'key is too short to be a provider API key' }).max(512, { error: 'key is longer than 512 characters' }),
});
const SettingsBody = z
  .strictObject({
    fail_mode: z.enum(['open', 'closed'], { error: 'fail_mode must be "open" or "closed"' }).optional(),
    cache: z
      .strictObject({
        enabled: z.boolean({ error: 'cache.enabled must be true or false' }),
        ttl_seconds: z
          .number({ error: 'cache.ttl_seconds must be a number of seconds' })
          .int({ error: 'cache.ttl_seconds must be a whole number of seconds' })
          .min(CACHE_TTL_BOUNDS.min, { error: `cache.ttl_seconds must be at least ${CACHE_TTL_BOUNDS.min}` })
          .max(CACHE_TTL_BOUNDS.max, { error: `cache.ttl_seconds must be at most ${CACHE_TTL_BOUNDS.max} (7 days)` })
          .optional(),
      })
      .optional()
      .describe('The response cache of the proxy (see docs/controls.md); ttl_seconds defaults to the current one (3600 at first)'),
    azure_endpoint: z
      .string({ error: 'azure_endpoint must be a URL or null' })
      .max(300, { error: 'azure_endpoint is longer than 300 characters' })
      .nullable()
      .optional()
      .describe("The project's Azure OpenAI resource, https://<resource>.openai.azure.com, where /proxy/azure/ forwards; null: back to LLMLAB_AZURE_BASE_URL"),
  })
  .refine((b) => b.fail_mode !== undefined || b.cache !== undefined || b.azure_endpoint !== undefined, { error: 'give fail_mode, cache, azure_endpoint, or several' });

/** Admin routes for the proxy: stored provider keys (write-only), the fail mode and the response cache. */
export function registerGatewayKeyRoutes(app: OpenAPIHono, ctx: AppContext) {
  const tag = 'gateway';
  defineRoute(app, ctx, { method: 'get', path: '/api/gateway/provider-keys', tag, summary: 'Stored provider keys (last four characters only)', auth: 'read', role: 'viewer', response: ProviderKeyListAnswer }, async ({ ctx }) => ({ keys: await listProviderKeys({ ctx }) }));
  defineRoute(
    app,
    ctx,
    {
      method: 'put',
      path: '/api/gateway/provider-keys/{provider}',
      tag,
      summary: 'Store the provider key the proxy uses when a call authenticates with the LLMLab key alone',
      description: 'Encrypted at rest with AES-256-GCM under a key derived from LLMLAB_SECRET; never returned.',
      auth: 'admin',
      role: 'admin',
      params: ProviderParam,
      body: KeyBody,
      response: ProviderKeyAnswer,
    },
    ({ ctx, params, body }) => setProviderKey({ ctx, input: { provider: params.provider, key: body.key } }),
  );
  defineRoute(app, ctx, { method: 'delete', path: '/api/gateway/provider-keys/{provider}', tag, summary: 'Forget a stored provider key', auth: 'admin', role: 'admin', params: ProviderParam, response: SuccessAnswer, errors: { 404: 'No key of this provider is stored for the project' } }, async ({ ctx, params }) => {
    await deleteProviderKey({ ctx, provider: params.provider });
    return { success: true } as const;
  });
  defineRoute(app, ctx, { method: 'get', path: '/api/gateway/settings', tag, summary: 'The proxy settings of the project', auth: 'read', role: 'viewer', response: GatewaySettingsAnswer }, ({ ctx }) => getGatewaySettings({ ctx }));
  defineRoute(
    app,
    ctx,
    {
      method: 'patch',
      path: '/api/gateway/settings',
      tag,
      summary: "Choose fail-open (default) or fail-closed when the database is unreachable, turn the response cache on or off, and set the project's Azure OpenAI endpoint",
      auth: 'admin',
      role: 'admin',
      body: SettingsBody,
      response: GatewaySettingsAnswer,
    },
    ({ ctx, body }) => updateGatewaySettings({ ctx, input: body }),
  );
}
