import { type ApiClient, connect } from '../api.js';
import { resolveSetting } from '../config-file.js';
import { CliError, EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from '../errors.js';
import { paint } from '../output/colors.js';
import { formatMoney, printJson, shortDate } from '../output/format.js';
import type { Budget, Forecast } from '../wire.js';

export interface ForecastOptions {
  budget?: string;
  tz?: string;
  exitCode?: boolean;
  json?: boolean;
}

export type Verdict = 'no_budget' | 'on_track' | 'projected_over' | 'over' | 'not_enough_data';

export function judgeForecast(f: Forecast): Verdict {
  if (f.budget != null && f.spent >= f.budget) return 'over';
  if (f.method === 'insufficient_data') return 'not_enough_data';
  if (f.budget == null) return 'no_budget';
  if (f.projected_spend > f.budget) return 'projected_over';
  return 'on_track';
}

/** `--exit-code`: 0 on track (or no budget, or too little data to project), 1 projected over, 2 already over. */
const EXIT_BY_VERDICT: Record<Verdict, number> = {
  no_budget: EXIT_OK,
  on_track: EXIT_OK,
  not_enough_data: EXIT_OK,
  projected_over: EXIT_FAILURE,
  over: EXIT_USAGE,
};

/** The budget `status` shows: the unscoped monthly one, else the first (as the summary picks it). */
async function defaultBudgetId(client: ApiClient): Promise<string | undefined> {
  const { budgets } = await client.get<{ budgets: Budget[] }>('/api/budgets');
  const unscoped = (b: Budget) => !b.per && (!b.scope || Object.values(b.scope).every((v) => v == null));
  return (budgets.find((b) => b.period === 'monthly' && unscoped(b)) ?? budgets[0])?.id;
}

export async function showForecast(options: ForecastOptions): Promise<void> {
  const [client, tz] = await Promise.all([connect(), resolveSetting('timezone', options.tz)]);
  const budgetId = options.budget ?? (await defaultBudgetId(client));
  const forecast = await client.getOptional<Forecast>('/api/costs/forecast', { tz: tz.value, budget_id: budgetId });
  if (forecast === null) {
    throw new CliError(
      options.budget
        ? `There is no budget ${options.budget}; list them with \`llmlab budget\`.`
        : `The server at ${client.baseUrl} does not offer forecasts; update it to a newer LLMLab.`,
    );
  }
  const verdict = judgeForecast(forecast);
  if (options.json) printJson({ ...forecast, verdict });
  else process.stdout.write(`${renderForecast(forecast, verdict)}\n`);
  if (options.exitCode) process.exitCode = EXIT_BY_VERDICT[verdict];
}

const PERIOD_NAMES: Record<string, string> = { monthly: 'this month', weekly: 'this week', daily: 'today' };

export function renderForecast(f: Forecast, verdict: Verdict): string {
  const c = paint();
  const period = PERIOD_NAMES[f.period] ?? f.period;
  const budget = f.budget ?? 0;
  const lines = [
    c.bold(c.cyan(`LLMLab forecast · ${period}, ${f.tz}`)),
    '',
    `  Spent so far   ${formatMoney(f.spent)}  ${c.dim(`day ${Math.ceil(f.days_elapsed)} of ${f.days_total}`)}`,
    f.method === 'insufficient_data'
      ? `  Projected      ${c.dim('not yet')}`
      : `  Projected      ${c.bold(formatMoney(f.projected_spend))}  ${c.dim(`80% interval ${formatMoney(f.low)} to ${formatMoney(f.high)}`)}`,
    `  Budget         ${f.budget == null ? c.dim('none set') : formatMoney(budget)}`,
    '',
  ];
  if (verdict === 'over') {
    lines.push(c.red(`✖ Already over budget by ${formatMoney(f.spent - budget)}.`));
  } else if (verdict === 'projected_over') {
    const when = f.crosses_budget_on ? ` on ${shortDate(f.crosses_budget_on)}` : '';
    lines.push(c.yellow(`⚠ Projected to exceed the budget${when}, by ${formatMoney(f.projected_spend - budget)}.`));
  } else if (verdict === 'not_enough_data') {
    // The server's note also gives the pace-based high end; a number from a few hours would mislead here.
    lines.push(c.dim('Not enough data yet: less than one day of spend. The forecast starts once a full day of spend is recorded.'));
  } else if (verdict === 'on_track') {
    lines.push(c.green(`✔ On track: ${formatMoney(budget - f.projected_spend)} projected to spare.`));
  } else {
    lines.push(c.dim('No budget to compare with; set one with `llmlab budget --amount 100`.'));
  }
  return lines.join('\n');
}
