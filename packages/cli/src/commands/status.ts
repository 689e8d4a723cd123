import { connect } from '../api.js';
import { resolveSetting } from '../config-file.js';
import { paint } from '../output/colors.js';
import { formatCount, formatMoney, formatPercent, printJson, sortedBySpend } from '../output/format.js';
import { renderTable } from '../output/table.js';
import type { BudgetStatus, Summary } from '../wire.js';

export interface SummaryOptions {
  days: number;
  tz?: string;
  json?: boolean;
}

export async function fetchSummary(options: SummaryOptions): Promise<Summary> {
  const [client, tz] = await Promise.all([connect(), resolveSetting('timezone', options.tz)]);
  return client.get<Summary>('/api/costs/summary', { days: options.days, tz: tz.value });
}

export async function showStatus(options: SummaryOptions): Promise<void> {
  const summary = await fetchSummary(options);
  if (options.json) {
    printJson(summary);
    return;
  }
  process.stdout.write(`${renderStatus(summary, options.days)}\n`);
}

/** The spend summary: totals (and what the response cache saved), by provider, by model, then the budget line. */
export function renderStatus(summary: Summary, days: number): string {
  const c = paint();
  const lines: string[] = [];
  const zone = summary.tz ? `, ${summary.tz}` : '';
  lines.push(c.bold(c.cyan(`LLMLab spend · last ${days} days${zone}`)), '');
  const calls = summary.calls === undefined ? '' : c.dim(`${formatCount(summary.calls)} calls`);
  const totals = [
    ['Total Spend', c.bold(formatMoney(summary.total_spend)), calls],
    ['This Month', formatMoney(summary.this_month_spend), ''],
    ['Today', formatMoney(summary.today_spend), ''],
  ];
  // What the proxy's response cache saved in the same days; shown once it saved anything.
  if (summary.cache_hits) {
    totals.push(['Saved by Cache', c.green(formatMoney(summary.cache_savings)), c.dim(summary.cache_hits === 1 ? '1 cache hit' : `${formatCount(summary.cache_hits)} cache hits`)]);
  }
  lines.push(renderTable(totals, { align: ['left', 'right', 'left'] }));
  lines.push('', ...renderBreakdown('By Provider', 'Provider', summary.by_provider, summary.total_spend));
  lines.push('', ...renderBreakdown('By Model', 'Model', summary.by_model, summary.total_spend));
  lines.push('', renderBudgetLine(summary.budget_status));
  if (summary.unpriced_calls) {
    lines.push(
      c.yellow(
        summary.unpriced_calls === 1
          ? '1 call could not be priced and is not in these totals.'
          : `${formatCount(summary.unpriced_calls)} calls could not be priced and are not in these totals.`,
      ),
    );
  }
  return lines.join('\n');
}

function renderBreakdown(title: string, label: string, map: Record<string, number>, total: number): string[] {
  const c = paint();
  const entries = sortedBySpend(map);
  if (entries.length === 0) return [c.bold(title), c.dim('  no spend in this period')];
  const rows = entries.map(([key, usd]) => [key, formatMoney(usd), total > 0 ? formatPercent((usd / total) * 100) : '-']);
  return [c.bold(title), renderTable(rows, { head: [label, 'Spend', 'Share'], align: ['left', 'right', 'right'] })];
}

/** "Budget  $98.25 of $100.00 monthly  98.3%  ⚠ past the alert threshold". */
export function renderBudgetLine(status: BudgetStatus | null): string {
  const c = paint();
  if (!status) return `${c.bold('Budget')}  ${c.dim('none set (llmlab budget --amount 100)')}`;
  const period = status.period ? ` ${status.period}` : '';
  const percent = formatPercent(status.percentage);
  const over = status.percentage >= 100;
  const color = over ? c.red : status.alert ? c.yellow : c.green;
  const mark = over ? c.red(' ✖ over budget') : status.alert ? c.yellow(' ⚠ past the alert threshold') : '';
  return `${c.bold('Budget')}  ${formatMoney(status.spent)} of ${formatMoney(status.budget)}${period}  ${color(percent)}${mark}`;
}
