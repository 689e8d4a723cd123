import { evaluateBudget, formatUsdPrecise, HOUR_MS, nanosToUsd, periodWindow } from '@llmlab/core';
import { getAnomalies } from '../anomalies/get-anomalies.js';
import { perColumn } from '../budgets/budget-scope.js';
import { budgetStatus, scopedEvents } from '../budgets/budget-status.js';
import type { TenantContext } from '../context.js';
import type { BudgetsTable } from '../db/schema.js';
import { getForecast } from '../forecast/get-forecast.js';
import { rollupQuery } from '../usage/read-rollups.js';
import { type AlertInput, fireAlert } from './fire-alert.js';
import type { FiredAlert } from './tables.js';

/** An unpriced burst: this many unpriced calls within the hour, and this share of its calls. */
const UNPRICED_MIN_CALLS = 10;
const UNPRICED_MIN_SHARE = 0.2;

const PERIOD_NOUN = { daily: 'day', weekly: 'week', monthly: 'month' } as const;
// Cents would show $0.007375 spent of a $0.01 budget as "$0.01 of $0.01".
const usd = (nanos: number) => formatUsdPrecise(nanosToUsd(nanos));
const shortDate = (date: string) => new Date(`${date}T00:00:00Z`).toLocaleDateString('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' });

async function budgetAlerts(ctx: TenantContext, now: number): Promise<AlertInput[]> {
  const budgets = await ctx.db.kysely.selectFrom('budgets').selectAll().where('project_id', '=', ctx.actor.projectId).execute();
  const out: AlertInput[] = [];
  for (const b of budgets) {
    if (b.per) {
      out.push(...(await templateAlerts(ctx, b, now)));
      continue;
    }
    const status = await budgetStatus(ctx, b, now);
    const periodKey = periodWindow(b.period, now, b.timezone).key;
    const base = { projectId: ctx.actor.projectId, orgId: ctx.actor.orgId, subject: b.id, periodKey, budgetId: b.id };
    for (const t of status.reached) {
      out.push({
        ...base,
        kind: 'budget',
        threshold: t,
        message: `Budget "${b.name}" reached ${t}%: ${usd(status.spent_nanos)} of ${usd(b.amount_nanos)} this ${PERIOD_NOUN[b.period]}`,
        payload: { budget: nanosToUsd(b.amount_nanos), spent: nanosToUsd(status.spent_nanos), percentage: status.percentage, period: b.period, period_start: new Date(status.period_start).toISOString() },
      });
    }
    if (status.exceeded) continue;
    const f = await getForecast({ ctx, input: { tz: b.timezone, period: b.period, budget_id: b.id } });
    if (!f.crosses_budget_on) continue;
    out.push({
      ...base,
      kind: 'forecast',
      message: `Budget "${b.name}" is projected to exceed ${usd(b.amount_nanos)} on ${shortDate(f.crosses_budget_on)} (projected ${usd(f.projected_nanos)}, 80% interval ${usd(f.low_nanos)}-${usd(f.high_nanos)})`,
      payload: { budget: f.budget, projected_spend: f.projected_spend, low: f.low, high: f.high, crosses_budget_on: f.crosses_budget_on, spent: f.spent },
    });
  }
  return out;
}

const PER_NOUN = { end_user: 'end user', api_key: 'API key', feature: 'feature' } as const;

/**
 * A template budget alerts per value, once per threshold and period: "end user customer-42
 * reached 80% of $5". Only values past the lowest threshold are read.
 */
async function templateAlerts(ctx: TenantContext, b: BudgetsTable, now: number): Promise<AlertInput[]> {
  const per = b.per as NonNullable<BudgetsTable['per']>;
  const window = periodWindow(b.period, now, b.timezone);
  const thresholds = JSON.parse(b.thresholds) as number[];
  const floor = Math.ceil((b.amount_nanos * Math.min(...thresholds)) / 100);
  const column = perColumn(per);
  const rows = await scopedEvents(ctx, b, window)
    .select((eb) => [eb.ref(column).as('value'), eb.fn.coalesce(eb.fn.sum<number>('cost_nanos'), eb.lit(0)).as('cost')])
    .where(column, 'is not', null)
    .groupBy(column)
    .having((eb) => eb.fn.coalesce(eb.fn.sum<number>('cost_nanos'), eb.lit(0)), '>=', floor)
    .execute();
  const out: AlertInput[] = [];
  for (const r of rows) {
    const value = String(r.value);
    const spent = Number(r.cost);
    const e = evaluateBudget({ amount_nanos: b.amount_nanos, spent_nanos: spent, thresholds, alert_threshold: b.alert_threshold });
    for (const t of e.reached) {
      out.push({
        projectId: ctx.actor.projectId,
        orgId: ctx.actor.orgId,
        subject: `${b.id}:${value}`,
        periodKey: window.key,
        budgetId: b.id,
        kind: 'budget',
        threshold: t,
        message: `Budget "${b.name}": ${PER_NOUN[per]} ${value} reached ${t}% of ${usd(b.amount_nanos)} this ${PERIOD_NOUN[b.period]} (${usd(spent)} spent)`,
        payload: { budget: nanosToUsd(b.amount_nanos), per, value, spent: nanosToUsd(spent), percentage: e.percentage, period: b.period, period_start: new Date(window.start).toISOString() },
      });
    }
  }
  return out;
}

async function anomalyAlerts(ctx: TenantContext): Promise<AlertInput[]> {
  const { anomalies } = await getAnomalies({ ctx, input: { granularity: 'day', days: 2, tz: 'UTC' } });
  return anomalies
    .filter((a) => a.dimension === 'project' && a.metric === 'spend')
    .map((a) => {
      const drivers = a.drivers.filter((d) => d.share >= 0.5).map((d) => `${d.kind} ${d.key}`);
      return {
        projectId: ctx.actor.projectId,
        orgId: ctx.actor.orgId,
        kind: 'anomaly' as const,
        subject: `${a.metric}:${a.dimension}:${a.key}`,
        periodKey: a.timestamp,
        message: `Spend anomaly on ${a.timestamp.slice(0, 10)}: ${usd(a.value)} against a usual ${usd(a.baseline)} (robust z ${a.score})${drivers.length ? `, driven by ${drivers.join(', ')}` : ''}`,
        payload: { value: nanosToUsd(a.value), baseline: nanosToUsd(a.baseline), score: a.score, excess: a.excess, drivers: a.drivers },
      };
    });
}

async function unpricedAlerts(ctx: TenantContext, now: number): Promise<AlertInput[]> {
  const hour = Math.floor(now / HOUR_MS) * HOUR_MS;
  const rows = await rollupQuery(ctx, hour - HOUR_MS, hour + HOUR_MS)
    .select((eb) => ['provider', 'model', eb.fn.sum<number>('calls').as('calls'), eb.fn.sum<number>('unpriced_calls').as('unpriced')])
    .groupBy(['provider', 'model'])
    .execute();
  const calls = rows.reduce((a, r) => a + Number(r.calls), 0);
  const unpriced = rows.reduce((a, r) => a + Number(r.unpriced), 0);
  if (unpriced < UNPRICED_MIN_CALLS || unpriced < UNPRICED_MIN_SHARE * calls) return [];
  const models = rows.filter((r) => Number(r.unpriced) > 0).map((r) => `${r.provider}/${r.model}`);
  return [{
    projectId: ctx.actor.projectId,
    orgId: ctx.actor.orgId,
    kind: 'unpriced',
    subject: 'project',
    periodKey: new Date(hour).toISOString(),
    message: `${unpriced} of ${calls} calls in the last hour could not be priced (${models.join(', ')}): add a price override so their cost is counted`,
    payload: { unpriced_calls: unpriced, calls, models },
  }];
}

/**
 * Checks the project's budgets (thresholds reached, forecast crossing), spend anomalies and
 * unpriced bursts now, and fires what has not fired yet. Returns the alerts this call fired.
 */
export async function evaluateAlerts({ ctx }: { ctx: TenantContext }): Promise<FiredAlert[]> {
  const now = ctx.now();
  const candidates = [...(await budgetAlerts(ctx, now)), ...(await anomalyAlerts(ctx)), ...(await unpricedAlerts(ctx, now))];
  const fired: FiredAlert[] = [];
  for (const c of candidates) {
    const alert = await fireAlert(ctx, c);
    if (alert) fired.push(alert);
  }
  return fired;
}
