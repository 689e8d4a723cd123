import type { OpenAPIHono } from '@hono/zod-openapi';
import { PriceCatalogAnswer, PriceLookupAnswer, PriceOverrideAnswer, PriceOverrideListAnswer, RepriceAnswer, SuccessAnswer } from '@llmlab/core';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { defineRoute } from '../http/define-route.js';
import { TimeParam } from '../http/query-params.js';
import { listCatalog } from './catalog.js';
import { lookupPrice } from './lookup-price.js';
import { createOverride, deleteOverride, listOverrides } from './overrides.js';
import { reprice } from './reprice.js';

const Rate = z.number({ error: 'a price must be a number of USD per million tokens' }).min(0).max(100_000);

export function registerPriceRoutes(app: OpenAPIHono, ctx: AppContext) {
  defineRoute(app, ctx, { method: 'get', path: '/api/prices', tag: 'prices', summary: 'The bundled price catalog (USD per million tokens)', auth: 'read', role: 'viewer', query: z.object({ provider: z.string().max(64).optional(), q: z.string().max(100).optional() }), response: PriceCatalogAnswer }, ({ ctx, query }) => listCatalog({ ctx, input: query }));
  defineRoute(app, ctx, {
    method: 'get', path: '/api/prices/lookup', tag: 'prices', summary: 'How a model prices at a time, with overrides: the cost of 1M input and 1M output tokens', auth: 'read', role: 'viewer',
    query: z.object({ provider: z.string().min(1).max(64), model: z.string().min(1).max(200), ts: TimeParam.optional() }), response: PriceLookupAnswer,
  }, ({ ctx, query }) => lookupPrice({ ctx, input: query }));
  defineRoute(app, ctx, { method: 'get', path: '/api/prices/overrides', tag: 'prices', summary: "The org's price overrides", auth: 'read', role: 'viewer', response: PriceOverrideListAnswer }, async ({ ctx }) => ({ overrides: await listOverrides({ ctx }) }));
  defineRoute(app, ctx, {
    method: 'post', path: '/api/prices/overrides', tag: 'prices', summary: 'Set an org price for a model from a date on', auth: 'admin', role: 'admin', status: 201, response: PriceOverrideAnswer,
    description: 'Org-wide. Events are priced by the price in force at their own timestamp; run POST /api/prices/reprice to price stored events again.',
    body: z.strictObject({ provider: z.string().min(1).max(64), model: z.string().trim().min(1).max(200), effective_from: z.union([z.number().int().min(0), z.iso.datetime({ offset: true }), z.iso.date()]).optional(), input_mtok: Rate, output_mtok: Rate, cache_read_mtok: Rate.optional(), cache_write_mtok: Rate.optional() }),
  }, ({ ctx, body }) => createOverride({ ctx, input: body }));
  defineRoute(app, ctx, { method: 'delete', path: '/api/prices/overrides/{id}', tag: 'prices', summary: 'Delete a price override', auth: 'admin', role: 'admin', params: z.object({ id: z.string().min(1).max(64) }), response: SuccessAnswer, errors: { 404: 'No such price override in the org' } }, async ({ ctx, params }) => {
    await deleteOverride({ ctx, id: params.id });
    return { success: true } as const;
  });
  defineRoute(app, ctx, {
    method: 'post', path: '/api/prices/reprice', tag: 'prices', summary: "Price the project's events again with the current price book; reports what changed", auth: 'admin', role: 'admin', response: RepriceAnswer,
    body: z.strictObject({ from: z.union([z.number().int(), z.iso.datetime({ offset: true })]).optional(), to: z.union([z.number().int(), z.iso.datetime({ offset: true })]).optional(), provider: z.string().max(64).optional(), model: z.string().max(200).optional() }),
    description: "Reprices the raw events the project kept: hours before its `raw_events_since` (see the project's retention) keep the prices they were recorded with.",
  }, ({ ctx, body }) => reprice({ ctx, input: body }));
}
