import { connect } from '../api.js';
import { resolveSetting } from '../config-file.js';
import { usageError } from '../errors.js';
import { paint } from '../output/colors.js';
import { formatCount, formatMoney, formatPercent, printJson } from '../output/format.js';
import { renderTable } from '../output/table.js';
import { resolveTimeRange } from '../time-range.js';
import type { Comparison } from '../wire.js';

export interface CompareOptions {
  tag?: string;
  model?: boolean;
  feature?: boolean;
  from?: string;
  to?: string;
  tz?: string;
  json?: boolean;
}

/** The dimension the flags name: exactly one of --tag <name>, --model, --feature. */
function dimensionOf(options: CompareOptions): string {
  const named = [options.tag !== undefined ? `tag:${options.tag}` : null, options.model ? 'model' : null, options.feature ? 'feature' : null].filter((d): d is string => d !== null);
  if (named.length !== 1) {
    throw usageError(named.length ? 'Compare one thing at a time: give only one of --tag <name>, --model or --feature.' : 'Say what a and b are: --tag <name> (e.g. --tag variant A B), --model or --feature.');
  }
  return named[0];
}

export async function showComparison(a: string, b: string, options: CompareOptions): Promise<void> {
  const dimension = dimensionOf(options);
  if (a === b) throw usageError(`Compare two different values (both are "${a}").`);
  const [client, tz] = await Promise.all([connect(), resolveSetting('timezone', options.tz)]);
  const { from, to } = await resolveTimeRange(options, tz.value as string);
  const comparison = await client.get<Comparison>('/api/experiments/compare', { dimension, a, b, from, to });
  if (options.json) printJson(comparison);
  else process.stdout.write(`${renderComparison(comparison)}\n`);
}

/** A per-call amount: four significant digits under $1 (a call costs fractions of a cent), cents above. */
function money(usd: number | null): string {
  if (usd === null) return '–';
  if (usd === 0 || Math.abs(usd) >= 1) return formatMoney(usd);
  const digits = Math.abs(usd).toPrecision(4);
  const trimmed = digits.includes('e') ? Math.abs(usd).toFixed(9) : digits;
  const [whole, fraction = ''] = trimmed.replace(/0+$/, '').split('.');
  return `${usd < 0 ? '-' : ''}$${whole}.${fraction.padEnd(2, '0')}`;
}
const interval = (low: number | null, high: number | null) => (low === null || high === null ? '–' : `${money(low)} to ${money(high)}`);

const VERDICT_TITLES: Record<Comparison['verdict'], (c: Comparison) => string> = {
  a_cheaper: (c) => `✔ ${c.a.value} is cheaper per call.`,
  b_cheaper: (c) => `✔ ${c.b.value} is cheaper per call.`,
  no_significant_difference: () => '= No significant difference in cost per call.',
  insufficient_data: () => '… Not enough priced calls to compare.',
};

export function renderComparison(r: Comparison): string {
  const c = paint();
  const dimension = r.dimension.startsWith('tag:') ? `tag ${r.dimension.slice(4)}` : r.dimension;
  const arms = [r.a, r.b];
  const row = (label: string, cell: (arm: Comparison['a']) => string) => [label, ...arms.map(cell)];
  const table = renderTable(
    [
      row('Calls', (x) => formatCount(x.calls)),
      row('Cost', (x) => formatMoney(x.cost)),
      row('Cost per call', (x) => money(x.cost_per_call.mean)),
      row('  95% interval', (x) => interval(x.cost_per_call.ci95_low, x.cost_per_call.ci95_high)),
      row('Tokens per call', (x) => (x.tokens_per_call === null ? '–' : formatCount(x.tokens_per_call))),
      row('Latency p50 / p95', (x) => (x.latency_ms.p50 === null ? '–' : `${formatCount(x.latency_ms.p50)} / ${formatCount(x.latency_ms.p95 ?? 0)} ms`)),
      row('Error rate', (x) => (x.error_rate === null ? '–' : formatPercent(x.error_rate * 100))),
      row('Unpriced calls', (x) => formatCount(x.unpriced_calls)),
    ],
    { head: ['', `A: ${r.a.value}`, `B: ${r.b.value}`], align: ['left', 'right', 'right'] },
  );
  const d = r.difference;
  const lines = [
    c.bold(c.cyan(`LLMLab compare · ${dimension}, ${r.from.slice(0, 10)} to ${r.to.slice(0, 10)}`)),
    '',
    table,
    '',
    `  B − A per call  ${d.mean === null ? '–' : money(d.mean)}${d.relative === null ? '' : c.dim(` (${d.relative > 0 ? '+' : ''}${formatPercent(d.relative * 100)})`)}  ${c.dim(`95% interval ${interval(d.ci95_low, d.ci95_high)}`)}`,
    '',
  ];
  const title = VERDICT_TITLES[r.verdict](r);
  lines.push(r.verdict === 'a_cheaper' || r.verdict === 'b_cheaper' ? c.green(title) : c.yellow(title));
  lines.push(c.dim(r.reason));
  for (const arm of arms) {
    if (arm.events_read_since) lines.push(c.dim(`${arm.value}: only its latest 50,000 calls were read, from ${arm.events_read_since}.`));
  }
  if (r.raw_events_since) lines.push(c.yellow(`! The project's retention removed raw events before ${r.raw_events_since}: the comparison starts there.`));
  return lines.join('\n');
}
