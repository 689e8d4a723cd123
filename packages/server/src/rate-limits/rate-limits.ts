import { AppError, canonicalProvider, nanosToUsd, type RateLimitAnswer, type RateLimitInput, type RateLimitPatch, type RateLimitScope, usdToNanos } from '@llmlab/core';
import type { Kysely, Transaction } from 'kysely';
import { uuidv7 } from 'uuidv7';
import { audit } from '../audit/record-audit.js';
import type { TenantContext } from '../context.js';
import type { Database } from '../db/schema.js';
import { ruleOf } from './rate-limit-rules.js';
import type { RateLimitsTable } from './tables.js';

const invalid = (path: string, message: string) => new AppError('validation_failed', `${path}: ${message}`, [{ path, message }]);

/** The scope with its provider in canonical form; a provider LLMLab does not know, or a key of another project, is refused. */
async function checkedScope(ctx: TenantContext, scope: RateLimitScope | null | undefined, db: Kysely<Database>): Promise<RateLimitScope | null | undefined> {
  if (!scope) return scope;
  const out = { ...scope };
  if (scope.provider !== undefined) {
    const provider = canonicalProvider(scope.provider);
    if (!provider) throw invalid('scope.provider', `unknown provider "${scope.provider}"`);
    out.provider = provider;
  }
  if (scope.api_key_id !== undefined) {
    const key = await db.selectFrom('api_keys').select('id').where('id', '=', scope.api_key_id).where('project_id', '=', ctx.actor.projectId).executeTakeFirst();
    if (!key) throw invalid('scope.api_key_id', `no API key ${scope.api_key_id} in this project`);
  }
  return out;
}

function scopeColumns(scope: RateLimitScope | null | undefined) {
  return {
    scope_provider: scope?.provider ?? null,
    scope_model: scope?.model ?? null,
    scope_feature: scope?.feature ?? null,
    scope_end_user: scope?.end_user ?? null,
    scope_api_key_id: scope?.api_key_id ?? null,
  };
}

/** Creates a rate limit, in `trx` when given (a key made with its limit commits both together). */
export async function createRateLimit({ ctx, input, trx: outer }: { ctx: TenantContext; input: RateLimitInput; trx?: Transaction<Database> }): Promise<RateLimitAnswer> {
  const work = async (trx: Transaction<Database>) => {
    const now = ctx.now();
    const row: RateLimitsTable = {
      id: uuidv7(),
      project_id: ctx.actor.projectId,
      name: input.name ?? 'Rate limit',
      ...scopeColumns(await checkedScope(ctx, input.scope, trx)),
      per: input.per ?? null,
      requests_per_minute: input.requests_per_minute ?? null,
      tokens_per_minute: input.tokens_per_minute ?? null,
      cost_per_hour_nanos: input.cost_per_hour === undefined ? null : usdToNanos(input.cost_per_hour),
      created_at: now,
      updated_at: now,
    };
    await trx.insertInto('rate_limits').values(row).execute();
    await audit(trx, ctx, { action: 'rate_limit.created', targetType: 'rate_limit', targetId: row.id, projectId: row.project_id, after: describeRateLimit(row) });
    return presentRateLimit(row);
  };
  return outer ? work(outer) : ctx.db.transaction(work);
}

export async function listRateLimits({ ctx }: { ctx: TenantContext }): Promise<RateLimitAnswer[]> {
  const rows = await ctx.db.kysely.selectFrom('rate_limits').selectAll().where('project_id', '=', ctx.actor.projectId).orderBy('created_at').orderBy('id').execute();
  return rows.map(presentRateLimit);
}

/** The project's rate limit, or not_found; locked until `trx` ends when given. */
async function findRateLimit(ctx: TenantContext, id: string, trx?: Transaction<Database>): Promise<RateLimitsTable> {
  const query = (trx ?? ctx.db.kysely).selectFrom('rate_limits').selectAll().where('id', '=', id).where('project_id', '=', ctx.actor.projectId);
  const row = await (trx ? ctx.db.forUpdate(query) : query).executeTakeFirst();
  if (!row) throw new AppError('not_found', `rate limit ${id} not found`);
  return row;
}

export async function getRateLimit({ ctx, id }: { ctx: TenantContext; id: string }): Promise<RateLimitAnswer> {
  return presentRateLimit(await findRateLimit(ctx, id));
}

export async function updateRateLimit({ ctx, id, input }: { ctx: TenantContext; id: string; input: RateLimitPatch }): Promise<RateLimitAnswer> {
  return ctx.db.transaction(async (trx) => {
    const current = await findRateLimit(ctx, id, trx);
    const scope = await checkedScope(ctx, input.scope, trx);
    const next: RateLimitsTable = {
      ...current,
      name: input.name ?? current.name,
      ...(scope === undefined ? {} : scopeColumns(scope)),
      per: input.per === undefined ? current.per : input.per,
      requests_per_minute: input.requests_per_minute === undefined ? current.requests_per_minute : input.requests_per_minute,
      tokens_per_minute: input.tokens_per_minute === undefined ? current.tokens_per_minute : input.tokens_per_minute,
      cost_per_hour_nanos: input.cost_per_hour === undefined ? current.cost_per_hour_nanos : input.cost_per_hour === null ? null : usdToNanos(input.cost_per_hour),
      updated_at: ctx.now(),
    };
    if (next.requests_per_minute === null && next.tokens_per_minute === null && next.cost_per_hour_nanos === null) {
      throw invalid('requests_per_minute', 'a rate limit keeps at least one limit: requests_per_minute, tokens_per_minute or cost_per_hour');
    }
    await trx.updateTable('rate_limits').set(next).where('id', '=', id).where('project_id', '=', ctx.actor.projectId).execute();
    // A window per end user is not the window they shared: counting starts again when `per` changes.
    if (next.per !== current.per) await trx.deleteFrom('rate_limit_counters').where('limit_id', '=', id).where('project_id', '=', ctx.actor.projectId).execute();
    await audit(trx, ctx, { action: 'rate_limit.updated', targetType: 'rate_limit', targetId: id, projectId: current.project_id, before: describeRateLimit(current), after: describeRateLimit(next) });
    return presentRateLimit(next);
  });
}

export async function deleteRateLimit({ ctx, id }: { ctx: TenantContext; id: string }): Promise<void> {
  await ctx.db.transaction(async (trx) => {
    const current = await trx.deleteFrom('rate_limits').where('id', '=', id).where('project_id', '=', ctx.actor.projectId).returningAll().executeTakeFirst();
    if (!current) throw new AppError('not_found', `rate limit ${id} not found`);
    await trx.deleteFrom('rate_limit_counters').where('limit_id', '=', id).where('project_id', '=', ctx.actor.projectId).execute();
    await audit(trx, ctx, { action: 'rate_limit.deleted', targetType: 'rate_limit', targetId: id, projectId: current.project_id, before: describeRateLimit(current) });
  });
}

/** What a rate limit is, without its id and times: the audit log's before and after. */
function describeRateLimit(row: RateLimitsTable) {
  const { scope, per } = ruleOf(row);
  return {
    name: row.name,
    scope,
    per,
    requests_per_minute: row.requests_per_minute === null ? null : Number(row.requests_per_minute),
    tokens_per_minute: row.tokens_per_minute === null ? null : Number(row.tokens_per_minute),
    cost_per_hour: row.cost_per_hour_nanos === null ? null : nanosToUsd(row.cost_per_hour_nanos),
  };
}

function presentRateLimit(row: RateLimitsTable): RateLimitAnswer {
  return { id: row.id, ...describeRateLimit(row), created_at: new Date(Number(row.created_at)).toISOString(), updated_at: new Date(Number(row.updated_at)).toISOString() };
}
