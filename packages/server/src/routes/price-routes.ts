import type { OpenAPIHono } from '@hono/zod-openapi';
import { AppError, canonicalProvider, PriceCatalogAnswer, PriceLookupAnswer, PriceOverrideAnswer, PriceOverrideListAnswer, priceUsage, RepriceAnswer, SuccessAnswer } from '@llmlab/core';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { defineRoute } from '../http/define-route.js';
import { listCatalog } from '../prices/catalog.js';
import { loadOverrides } from '../prices/load-overrides.js';
import { createOverride, deleteOverride, listOverrides } from '../prices/overrides.js';
import { reprice } from '../prices/reprice.js';
import { TimeParam } from './queries.js';

const Rate = z.number({ error: 'a price must be a number of USD per million tokens' }).min(0).max(100_000);

export function registerPriceRoutes(app: OpenAPIHono, ctx: AppContext) {
  defineRoute(app, ctx, { method: 'get', path: '/api/prices', tag: 'prices', summary: 'The bundled price catalog (USD per million tokens)', auth: 'read', query: z.object({ provider: z.string().max(64).optional(), q: z.string().max(100).optional() }), response: PriceCatalogAnswer }, ({ ctx, query }) =>
    listCatalog({ provider: query.provider ? (canonicalProvider(query.provider) ?? query.provider) : undefined, q: query.q, now: ctx.now() }),
  );
  defineRoute(app, ctx, {
    method: 'get', path: '/api/prices/lookup', tag: 'prices', summary: 'How a model prices at a time, with overrides: the cost of 1M input and 1M output tokens', auth: 'read',
    query: z.object({ provider: z.string().min(1).max(64), model: z.string().min(1).max(200), ts: TimeParam.optional() }), response: PriceLookupAnswer,
  }, async ({ ctx, query }) => {
    const provider = canonicalProvider(query.provider);
    if (!provider) throw new AppError('validation_failed', `provider: unknown provider "${query.provider}"`);
    const overrides = await loadOverrides(ctx.db, ctx.actor.orgId);
    const ts = query.ts ?? ctx.now();
    const at = (usage: { input_tokens: number; output_tokens: number }) => priceUsage({ provider, model: query.model, ts, usage, overrides });
    const input = at({ input_tokens: 1_000_000, output_tokens: 0 });
    const output = at({ input_tokens: 0, output_tokens: 1_000_000 });
    return { provider, model: query.model, priced: input.cost_nanos !== null, source: input.price_source ?? output.price_source, input_mtok: input.cost_nanos === null ? null : input.cost_nanos / 1e9, output_mtok: output.cost_nanos === null ? null : output.cost_nanos / 1e9 };
  });
  defineRoute(app, ctx, { method: 'get', path: '/api/prices/overrides', tag: 'prices', summary: "The org's price overrides", auth: 'read', response: PriceOverrideListAnswer }, async ({ ctx }) => ({ overrides: await listOverrides({ ctx }) }));
  defineRoute(app, ctx, {
    method: 'post', path: '/api/prices/overrides', tag: 'prices', summary: 'Set an org price for a model from a date on', auth: 'admin', status: 201, response: PriceOverrideAnswer,
    description: 'Org-wide. Events are priced by the price in force at their own timestamp; run POST /api/prices/reprice to price stored events again.',
    body: z.strictObject({ provider: z.string().min(1).max(64), model: z.string().trim().min(1).max(200), effective_from: z.union([z.number().int().min(0), z.iso.datetime({ offset: true }), z.iso.date()]).optional(), input_mtok: Rate, output_mtok: Rate, cache_read_mtok: Rate.optional(), cache_write_mtok: Rate.optional() }),
  }, ({ ctx, body }) => createOverride({ ctx, input: body }));
  defineRoute(app, ctx, { method: 'delete', path: '/api/prices/overrides/{id}', tag: 'prices', summary: 'Delete a price override', auth: 'admin', params: z.object({ id: z.string().min(1).max(64) }), response: SuccessAnswer, errors: { 404: 'No such price override in the org' } }, async ({ ctx, params }) => {
    await deleteOverride({ ctx, id: params.id });
    return { success: true } as const;
  });
  defineRoute(app, ctx, {
    method: 'post', path: '/api/prices/reprice', tag: 'prices', summary: "Price the project's events again with the current price book; reports what changed", auth: 'admin', response: RepriceAnswer,
    body: z.strictObject({ from: z.union([z.number().int(), z.iso.datetime({ offset: true })]).optional(), to: z.union([z.number().int(), z.iso.datetime({ offset: true })]).optional(), provider: z.string().max(64).optional(), model: z.string().max(200).optional() }),
  }, ({ ctx, body }) => {
    const ms = (v: number | string | undefined) => (v === undefined ? undefined : typeof v === 'number' ? v : Date.parse(v));
    return reprice({ ctx, input: { from: ms(body.from), to: ms(body.to), provider: body.provider ? (canonicalProvider(body.provider) ?? body.provider) : undefined, model: body.model } });
  });
}
