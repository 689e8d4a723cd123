import type { OpenAPIHono } from '@hono/zod-openapi';
import { ApiKeyInput, ApiKeyListAnswer, CreatedApiKeyAnswer, SuccessAnswer } from '@llmlab/core';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { defineRoute } from '../http/define-route.js';
import { createProjectKey } from './create-key.js';
import { listKeys } from './list-keys.js';
import { revokeKey } from './revoke-key.js';

const _Name = z.string({ error: 'name must be a string' }).trim().min(1, { error: 'name must not be empty' }).max(100);

export function registerKeyRoutes(app: OpenAPIHono, ctx: AppContext) {
  defineRoute(app, ctx, { method: 'get', path: '/api/keys', tag: 'keys', summary: "The project's API keys (never the keys themselves)", auth: 'admin', role: 'member', response: ApiKeyListAnswer }, async ({ ctx }) => ({ keys: await listKeys({ ctx }) }));
  defineRoute(app, ctx, {
    method: 'post', path: '/api/keys', tag: 'keys', summary: 'Create an API key; the key is shown once', auth: 'admin', role: 'member', status: 201, response: CreatedApiKeyAnswer,
    body: ApiKeyInput,
    description: 'A key handed to a team can carry its own limits: a budget (hard by default), the models and providers it may call through the proxy, an expiry, and labels.',
  }, ({ ctx, body }) => createProjectKey({ ctx, input: body }));
  defineRoute(app, ctx, { method: 'delete', path: '/api/keys/{id}', tag: 'keys', summary: 'Revoke an API key at once', auth: 'admin', role: 'member', params: z.object({ id: z.string().min(1).max(64) }), response: SuccessAnswer, errors: { 404: 'No such API key in the project' } }, async ({ ctx, params }) => {
    await revokeKey({ ctx, keyId: params.id });
    return { success: true } as const;
  });
}
