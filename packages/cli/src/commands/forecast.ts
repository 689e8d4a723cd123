import { connect } from '../api.js';
import { resolveSetting } from '../config-file.js';
import { CliError, EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from '../errors.js';
import { paint } from '../output/colors.js';
import { formatMoney, printJson } from '../output/format.js';
import type { Forecast } from '../wire.js';

export interface ForecastOptions {
  tz?: string;
  exitCode?: boolean;
  json?: boolean;
}

export type Verdict = 'no_budget' | 'on_track' | 'projected_over' | 'over';

export function judgeForecast(f: Forecast): Verdict {
  if (f.budget == null) return 'no_budget';
  if (f.spent >= f.budget) return 'over';
  if (f.projected_spend > f.budget) return 'projected_over';
  return 'on_track';
}

/** `--exit-code`: 0 on track (or no budget), 1 projected over, 2 already over. */
const EXIT_BY_VERDICT: Record<Verdict, number> = {
  no_budget: EXIT_OK,
  on_track: EXIT_OK,
  projected_over: EXIT_FAILURE,
  over: EXIT_USAGE,
};

export async function showForecast(options: ForecastOptions): Promise<void> {
  const [client, tz] = await Promise.all([connect(), resolveSetting('timezone', options.tz)]);
  const forecast = await client.getOptional<Forecast>('/api/costs/forecast', { tz: tz.value });
  if (forecast === null) throw new CliError(`The server at ${client.baseUrl} does not offer forecasts; update it to a newer LLMLab.`);
  const verdict = judgeForecast(forecast);
  if (options.json) printJson({ ...forecast, verdict });
  else process.stdout.write(`${renderForecast(forecast, verdict)}\n`);
  if (options.exitCode) process.exitCode = EXIT_BY_VERDICT[verdict];
}

export function renderForecast(f: Forecast, verdict: Verdict): string {
  const c = paint();
  const lines = [
    c.bold(c.cyan('LLMLab forecast · this month')),
    '',
    `  Spent so far    ${formatMoney(f.spent)}`,
    `  Projected       ${c.bold(formatMoney(f.projected_spend))}  ${c.dim(`80% interval ${formatMoney(f.low)} – ${formatMoney(f.high)}`)}`,
    `  Budget          ${f.budget == null ? c.dim('none set') : formatMoney(f.budget)}`,
    '',
  ];
  if (verdict === 'over') lines.push(c.red(`✖ Already over budget by ${formatMoney(f.spent - (f.budget ?? 0))}.`));
  else if (verdict === 'projected_over') {
    const when = f.crosses_budget_on ? ` around ${f.crosses_budget_on}` : '';
    lines.push(c.yellow(`⚠ Projected to exceed the budget${when}, by ${formatMoney(f.projected_spend - (f.budget ?? 0))}.`));
  } else if (verdict === 'on_track') lines.push(c.green(`✔ On track: ${formatMoney((f.budget ?? 0) - f.projected_spend)} projected to spare.`));
  else lines.push(c.dim('No budget to compare with; set one with `llmlab budget --amount 100`.'));
  return lines.join('\n');
}
