import { connect } from '../api.js';
import { usageError } from '../errors.js';
import { paint } from '../output/colors.js';
import { formatMoney, formatPercent, printJson } from '../output/format.js';
import { renderTable } from '../output/table.js';
import type { Budget } from '../wire.js';

export interface BudgetOptions {
  amount?: number;
  period?: 'daily' | 'weekly' | 'monthly';
  hardLimit?: boolean;
  alertThreshold?: number;
  scopeProvider?: string;
  scopeModel?: string;
  scopeFeature?: string;
  name?: string;
  json?: boolean;
}

type Scope = NonNullable<Budget['scope']>;

export async function manageBudgets(options: BudgetOptions): Promise<void> {
  if (options.amount === undefined) {
    const settingFlags = [options.period, options.hardLimit, options.alertThreshold, options.scopeProvider, options.scopeModel, options.scopeFeature, options.name];
    if (settingFlags.some((flag) => flag !== undefined)) {
      throw usageError('Setting a budget needs --amount; run `llmlab budget` alone to list budgets.');
    }
    await listBudgets(options.json === true);
    return;
  }
  await setBudget(options);
}

async function listBudgets(json: boolean): Promise<void> {
  const client = await connect();
  const { budgets } = await client.get<{ budgets: Budget[] }>('/api/budgets');
  if (json) {
    printJson(budgets);
    return;
  }
  if (budgets.length === 0) {
    process.stdout.write('No budgets yet; set one with `llmlab budget --amount 100`.\n');
    return;
  }
  process.stdout.write(`${renderBudgets(budgets)}\n`);
}

export function renderBudgets(budgets: Budget[]): string {
  const c = paint();
  const rows = budgets.map((b) => {
    const status = b.status;
    const state = !status ? '' : status.exceeded ? c.red('✖ over') : status.alert ? c.yellow('⚠ alert') : c.green('ok');
    return [
      b.name ?? '-',
      describeScope(b.scope),
      b.period,
      formatMoney(b.amount),
      status ? formatMoney(status.spent) : '-',
      status ? formatPercent(status.percentage) : '-',
      state,
      b.hard_limit ? 'hard' : 'soft',
    ];
  });
  return renderTable(rows, {
    head: ['Budget', 'Scope', 'Period', 'Amount', 'Spent', 'Used', 'Status', 'Limit'],
    align: ['left', 'left', 'left', 'right', 'right', 'right', 'left', 'left'],
  });
}

function describeScope(scope: Budget['scope']): string {
  const parts = Object.entries(scope ?? {}).filter(([, v]) => v).map(([k, v]) => `${k} ${v}`);
  return parts.length ? parts.join(', ') : 'all spend';
}

function sameScope(a: Budget['scope'], b: Scope | undefined): boolean {
  const keys: (keyof Scope)[] = ['provider', 'model', 'feature'];
  return keys.every((k) => (a?.[k] ?? undefined) === (b?.[k] ?? undefined));
}

/** Sets the budget for a period and scope: updates the one that exists rather than adding a twin. */
async function setBudget(options: BudgetOptions): Promise<void> {
  const client = await connect();
  const period = options.period ?? 'monthly';
  const scope: Scope = { provider: options.scopeProvider, model: options.scopeModel, feature: options.scopeFeature };
  const hasScope = Object.values(scope).some((v) => v !== undefined);
  const fields = {
    amount: options.amount,
    ...(options.hardLimit !== undefined ? { hard_limit: options.hardLimit } : {}),
    ...(options.alertThreshold !== undefined ? { alert_threshold: options.alertThreshold } : {}),
    ...(options.name ? { name: options.name } : {}),
  };
  const { budgets } = await client.get<{ budgets: Budget[] }>('/api/budgets');
  const existing = budgets.find((b) => b.period === period && sameScope(b.scope, hasScope ? scope : undefined));
  const saved = existing
    ? await client.patch<Budget>(`/api/budgets/${encodeURIComponent(existing.id)}`, fields)
    : await client.post<Budget>('/api/budgets', { ...fields, period, ...(hasScope ? { scope } : {}) });
  if (options.json) {
    printJson(saved);
    return;
  }
  const c = paint();
  const verb = existing ? 'Updated' : 'Set';
  const limit = saved.hard_limit ? ', hard limit' : '';
  const used = saved.status ? ` · spent ${formatMoney(saved.status.spent)} (${formatPercent(saved.status.percentage)})` : '';
  process.stdout.write(
    `${c.green('✔')} ${verb} ${saved.period} budget of ${c.bold(formatMoney(saved.amount))} for ${describeScope(saved.scope)}${limit}${used}\n`,
  );
}
