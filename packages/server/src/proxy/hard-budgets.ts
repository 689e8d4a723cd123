import { canonicalProvider, nanosToUsd, priceUsage } from '@llmlab/core';
import { sql } from 'kysely';
import { uuidv7 } from 'uuidv7';
import { type BudgetCall, tagsOf, valueOfCall } from '../budgets/budget-scope.js';
import { budgetSpendQuery } from '../budgets/budget-status.js';
import type { AppContext, TenantContext } from '../context.js';
import type { BudgetsTable } from '../db/schema.js';
import type { ProjectProfile } from './project-profiles.js';

/** A reservation left by a process that died stops counting after this long. */
export const RESERVATION_TTL_MS = 15 * 60_000;

export type Reservation = { ok: true; ids: string[] } | { ok: false; message: string };

/** A hard budget that covers a call, and for a template the value (end user, key, feature) the call counts for. */
export interface CoveringBudget {
  budget: BudgetsTable;
  value?: string;
}

function scopeCovers(b: BudgetsTable, call: BudgetCall): boolean {
  const tags = tagsOf(b);
  return (
    (!b.scope_provider || canonicalProvider(b.scope_provider) === call.provider) &&
    (!b.scope_model || b.scope_model.toLowerCase() === call.model.toLowerCase()) &&
    (!b.scope_feature || b.scope_feature === call.feature) &&
    (!b.scope_end_user || b.scope_end_user === call.endUser) &&
    (!b.scope_api_key_id || b.scope_api_key_id === call.apiKeyId) &&
    (!tags || Object.entries(tags).every(([k, v]) => call.tags?.[k] === v))
  );
}

/**
 * The hard budgets whose scope covers this call. A template covers the call for the value the
 * call names; a call that names none (no end user given) is not limited by it.
 */
export function budgetsFor(profile: ProjectProfile, call: BudgetCall): CoveringBudget[] {
  const out: CoveringBudget[] = [];
  for (const budget of profile.hardBudgets) {
    if (!scopeCovers(budget, call)) continue;
    if (!budget.per) out.push({ budget });
    else {
      const value = valueOfCall(budget.per, call);
      if (value !== undefined) out.push({ budget, value });
    }
  }
  return out;
}

/** The most a call can cost: its prompt estimate plus its max output, at the model's price (0 when unpriced). */
export function estimateCostNanos(profile: ProjectProfile, call: BudgetCall, tokens: { input: number; output: number }, now: number): number {
  const priced = priceUsage({ provider: call.provider, model: call.model, ts: now, usage: { input_tokens: tokens.input, output_tokens: tokens.output }, overrides: profile.overrides });
  return priced.cost_nanos ?? 0;
}

/** How many recent calls of the same key, end user and model the estimate looks at, and how far back. */
const RECENT_CALLS = 20;
const RECENT_WINDOW_MS = 24 * 3_600_000;

/**
 * What recent calls of the same key, end user and model really cost, at most: the body does not
 * show what a call is billed for when the provider adds context (previous_response_id, a
 * conversation, files or images by URL, long cached prompts), so the reservation takes the larger
 * of the two. Read from the (project, key, ts) index.
 */
export async function recentCostNanos(ctx: AppContext, profile: ProjectProfile, call: BudgetCall, now: number): Promise<number> {
  if (!profile.actor.keyId) return 0;
  const recent = ctx.db.kysely
    .selectFrom('events')
    .select('cost_nanos')
    .where('project_id', '=', profile.actor.projectId)
    .where('api_key_id', '=', profile.actor.keyId)
    .where('ts', '>', now - RECENT_WINDOW_MS)
    // Events carry the model the provider answered with, often a dated snapshot of the alias asked for.
    .where((eb) => eb.or([eb('model', '=', call.model), eb(sql<string>`substr(model, 1, ${call.model.length + 1})`, '=', `${call.model}-`)]))
    .where('cost_nanos', 'is not', null)
    .$if(call.endUser !== undefined, (q) => q.where('end_user', '=', call.endUser as string))
    .orderBy('ts', 'desc')
    .limit(RECENT_CALLS)
    .as('recent');
  const row = await ctx.db.kysely
    .selectFrom(recent)
    .select((eb) => eb.fn.max<number>('recent.cost_nanos').as('max'))
    .executeTakeFirst();
  return Number(row?.max ?? 0);
}

const usd = (nanos: number) => `$${nanosToUsd(nanos).toFixed(6).replace(/0{1,4}$/, '')}`;

/**
 * Reserves `estimate` on every budget in one transaction. The budget rows are locked (Db.forUpdate,
 * in id order) before spend and open reservations are read, so concurrent reservations from any
 * number of processes see each other. A call is refused when
 * spent + reserved + estimate would pass the amount (an estimate of 0, an unpriced model, still
 * needs a budget not yet exhausted).
 */
export async function reserveBudgets(ctx: AppContext, profile: ProjectProfile, budgets: CoveringBudget[], estimate: number, now: number): Promise<Reservation> {
  return ctx.db.transaction(async (trx) => {
    const tenant: TenantContext = { ...ctx, db: { ...ctx.db, kysely: trx }, actor: profile.actor };
    const current: CoveringBudget[] = [];
    // In id order, so two calls locking the same budgets never wait on each other in a cycle.
    for (const { budget: b, value } of [...budgets].sort((x, y) => x.budget.id.localeCompare(y.budget.id))) {
      const row = await ctx.db.forUpdate(trx.selectFrom('budgets').selectAll().where('id', '=', b.id).where('project_id', '=', profile.actor.projectId)).executeTakeFirst();
      if (row && row.hard_limit === 1 && row.per === b.per) current.push({ budget: row, value });
    }
    for (const { budget: b, value } of current) {
      const { spent, reserved, periodEnd } = await heldAgainst(tenant, b, value, now);
      if (spent + reserved + Math.max(estimate, 1) > b.amount_nanos) {
        const left = Math.max(0, b.amount_nanos - spent - reserved);
        const whose = value === undefined ? '' : ` for ${b.per === 'api_key' ? 'API key' : b.per === 'end_user' ? 'end user' : 'feature'} ${value}`;
        return {
          ok: false,
          message:
            `LLMLab hard budget "${b.name}" (${b.period}, ${usd(b.amount_nanos)}${b.per ? ` each` : ''})${whose} would be exceeded: ${usd(spent)} spent` +
            `${reserved ? `, ${usd(reserved)} held by calls in flight` : ''}, ${usd(left)} left, this call may cost up to ${usd(estimate)}. ` +
            `The budget resets at ${new Date(periodEnd).toISOString()}.`,
        };
      }
    }
    const rows = current.map(({ budget: b, value }) => ({
      id: uuidv7(),
      budget_id: b.id,
      project_id: profile.actor.projectId,
      amount_nanos: estimate,
      created_at: now,
      expires_at: now + RESERVATION_TTL_MS,
      scope_value: value ?? '',
    }));
    if (rows.length) await trx.insertInto('budget_reservations').values(rows).execute();
    return { ok: true, ids: rows.map((r) => r.id) };
  });
}

/**
 * The budget's spend and its open reservations, read in ONE statement. A call settles in two
 * commits, its event and rollups first and then the deletion of its reservation; under READ
 * COMMITTED each statement has its own snapshot, so reading spend and reservations in two
 * statements let both commits land between them and the call counted in neither (observed: two
 * processes forwarded 20 and 21 calls where 19 fit). One statement has one snapshot, which sees
 * the reservation or the cost (or both, which only errs on the strict side). It runs after the
 * FOR UPDATE statement, so its snapshot is taken once the lock is held.
 */
async function heldAgainst(tenant: TenantContext, budget: BudgetsTable, value: string | undefined, now: number) {
  const { window, query } = budgetSpendQuery(tenant, budget, now, value);
  const row = await tenant.db.kysely
    .selectNoFrom((eb) => [
      query.as('spent'),
      eb
        .selectFrom('budget_reservations')
        .select((r) => r.fn.coalesce(r.fn.sum<number>('amount_nanos'), r.lit(0)).as('reserved'))
        .where('budget_id', '=', budget.id)
        .where('scope_value', '=', value ?? '')
        .where('expires_at', '>', now)
        .as('reserved'),
    ])
    .executeTakeFirstOrThrow();
  return { spent: Number(row.spent ?? 0), reserved: Number(row.reserved ?? 0), periodEnd: window.end };
}

/** Drops settled reservations (their call's real cost is in the rollups now) and any expired ones. */
export async function releaseReservations(ctx: AppContext, ids: string[], now: number): Promise<void> {
  if (ids.length) {
    for (let i = 0; i < ids.length; i += 500) await ctx.db.kysely.deleteFrom('budget_reservations').where('id', 'in', ids.slice(i, i + 500)).execute();
  }
  await ctx.db.kysely.deleteFrom('budget_reservations').where('expires_at', '<=', now).execute();
}
