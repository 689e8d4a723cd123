import { type ApiClient, connect } from '../api.js';
import { CliError } from '../errors.js';
import { describeScope, PER_LABEL } from '../output/budget-scope.js';
import { paint } from '../output/colors.js';
import { formatLocalDate, formatMoney, formatPercent, printJson } from '../output/format.js';
import { renderTable } from '../output/table.js';
import type { Budget, BudgetUsage, BudgetValueUsage } from '../wire.js';

export interface BudgetUsageOptions {
  limit: number;
  value?: string;
  json?: boolean;
}

/** The most values the server answers in one page. */
const PAGE_LIMIT = 500;

/** The budget with this id, or the one budget with this name. */
async function findBudget(client: ApiClient, idOrName: string): Promise<Budget> {
  const wanted = idOrName.trim();
  const { budgets } = await client.get<{ budgets: Budget[] }>('/api/budgets');
  const byId = budgets.find((b) => b.id === wanted);
  if (byId) return byId;
  const named = budgets.filter((b) => b.name === wanted);
  if (named.length === 1) return named[0];
  if (named.length > 1) {
    throw new CliError(`${named.length} budgets are named "${wanted}"; give the id of one: ${named.map((b) => b.id).join(', ')}.`);
  }
  throw new CliError(`No budget has the id or name "${wanted}"; \`llmlab budget\` lists them.`);
}

/** Pages highest spend first, following next_cursor until `limit` values or the last one. */
async function fetchValues(client: ApiClient, id: string, options: BudgetUsageOptions): Promise<{ usage: BudgetUsage; more: boolean }> {
  const values: BudgetValueUsage[] = [];
  let cursor: string | undefined;
  let page: BudgetUsage;
  do {
    page = await client.get<BudgetUsage>(`/api/budgets/${encodeURIComponent(id)}/usage`, {
      limit: Math.min(PAGE_LIMIT, options.limit - values.length),
      cursor,
      value: options.value,
    });
    values.push(...page.values);
    cursor = page.next_cursor ?? undefined;
  } while (cursor && values.length < options.limit);
  return { usage: { ...page, values, next_cursor: cursor ?? null }, more: cursor !== undefined };
}

/** Key ids to names, for a template per API key; empty when this key may not list keys. */
async function keyNames(client: ApiClient): Promise<Map<string, string>> {
  try {
    const { keys } = await client.get<{ keys: { id: string; name: string }[] }>('/api/keys');
    return new Map(keys.map((k) => [k.id, k.name]));
  } catch {
    return new Map();
  }
}

export async function showBudgetUsage(idOrName: string, options: BudgetUsageOptions): Promise<void> {
  const client = await connect();
  const budget = await findBudget(client, idOrName);
  const { usage, more } = await fetchValues(client, budget.id, options);
  if (options.json) {
    printJson(usage);
    return;
  }
  const c = paint();
  const period = `${formatLocalDate(usage.period_start, budget.timezone)} to ${formatLocalDate(Date.parse(usage.period_end) - 1, budget.timezone)}`;
  if (!budget.per) {
    const s = budget.status;
    process.stdout.write(
      `"${budget.name}" is one budget for ${describeScope(budget.scope)}, not one per end user, key or feature: it has spent ${formatMoney(s.spent)} of ${formatMoney(budget.amount)} (${formatPercent(s.percentage)}) from ${period}.\n`,
    );
    return;
  }
  const label = PER_LABEL[budget.per];
  process.stdout.write(`${c.bold(budget.name)} · ${formatMoney(budget.amount)} ${budget.period} for ${describeScope(budget.scope, budget.per)} · ${period} (${budget.timezone})\n`);
  if (usage.values.length === 0) {
    process.stdout.write(`No ${label} has spent in this period yet.\n`);
    return;
  }
  const names = budget.per === 'api_key' ? await keyNames(client) : new Map<string, string>();
  process.stdout.write(`${renderValues(usage.values, label, names)}\n`);
  if (more) process.stdout.write(`${c.dim(`Showing the top ${usage.values.length}; --limit ${options.limit * 2} shows more.`)}\n`);
}

export function renderValues(values: BudgetValueUsage[], label: string, names: Map<string, string>): string {
  const c = paint();
  const state = { exceeded: c.red('✖ exceeded'), alert: c.yellow('⚠ alert'), ok: c.green('ok') };
  const rows = values.map((v) => {
    const value = v.value ?? '-';
    const name = names.get(value);
    return [
      name ? `${name} (${value})` : value,
      formatMoney(v.spent),
      formatMoney(v.remaining),
      formatPercent(v.percentage),
      state[v.state],
    ];
  });
  return renderTable(rows, {
    head: [label.charAt(0).toUpperCase() + label.slice(1), 'Spent', 'Remaining', 'Used', 'State'],
    align: ['left', 'right', 'right', 'right', 'left'],
  });
}
