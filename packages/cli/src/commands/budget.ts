import { connect } from '../api.js';
import { usageError } from '../errors.js';
import { describeScope, sameScope } from '../output/budget-scope.js';
import { paint } from '../output/colors.js';
import { formatMoney, formatPercent, printJson } from '../output/format.js';
import { renderTable } from '../output/table.js';
import type { Budget } from '../wire.js';

export interface BudgetOptions {
  amount?: number;
  period?: 'daily' | 'weekly' | 'monthly';
  hardLimit?: boolean;
  alertThreshold?: number;
  per?: NonNullable<Budget['per']>;
  scopeProvider?: string;
  scopeModel?: string;
  scopeFeature?: string;
  endUser?: string;
  apiKeyId?: string;
  tag?: Record<string, string>;
  name?: string;
  json?: boolean;
}

type Scope = NonNullable<Budget['scope']>;

export async function manageBudgets(options: BudgetOptions): Promise<void> {
  if (options.amount === undefined) {
    const { amount, json, ...settings } = options;
    if (Object.values(settings).some((flag) => flag !== undefined)) {
      throw usageError('Setting a budget needs --amount; run `llmlab budget` alone to list budgets.');
    }
    await listBudgets(json === true);
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
  const template = budgets.find((b) => b.per);
  if (template) {
    process.stdout.write(`${paint().dim(`A template shows its top spender; \`llmlab budget usage "${template.name}"\` lists every one.`)}\n`);
  }
}

export function renderBudgets(budgets: Budget[]): string {
  const c = paint();
  const rows = budgets.map((b) => {
    const status = b.status;
    const state = !status ? '' : status.exceeded ? c.red('✖ over') : status.alert ? c.yellow('⚠ alert') : c.green('ok');
    const top = b.per && status?.value ? ` (${status.value})` : '';
    return [
      b.name ?? '-',
      describeScope(b.scope, b.per),
      b.period,
      formatMoney(b.amount),
      status ? `${formatMoney(status.spent)}${top}` : '-',
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

function scopeOf(options: BudgetOptions): Scope | undefined {
  const scope: Scope = {
    provider: options.scopeProvider,
    model: options.scopeModel,
    feature: options.scopeFeature,
    end_user: options.endUser,
    api_key_id: options.apiKeyId,
    tags: options.tag,
  };
  const given = Object.fromEntries(Object.entries(scope).filter(([, v]) => v !== undefined));
  return Object.keys(given).length ? given : undefined;
}

/** Sets the budget for a period, scope and split: updates the one that exists rather than adding a twin. */
async function setBudget(options: BudgetOptions): Promise<void> {
  const client = await connect();
  const period = options.period ?? 'monthly';
  const scope = scopeOf(options);
  const per = options.per ?? null;
  const fields = {
    amount: options.amount,
    ...(options.hardLimit !== undefined ? { hard_limit: options.hardLimit } : {}),
    ...(options.alertThreshold !== undefined ? { alert_threshold: options.alertThreshold } : {}),
    ...(options.name ? { name: options.name } : {}),
  };
  const { budgets } = await client.get<{ budgets: Budget[] }>('/api/budgets');
  const existing = budgets.find((b) => b.period === period && sameScope(b, scope ?? null, per));
  const saved = existing
    ? await client.patch<Budget>(`/api/budgets/${encodeURIComponent(existing.id)}`, fields)
    : await client.post<Budget>('/api/budgets', { ...fields, period, ...(scope ? { scope } : {}), ...(per ? { per } : {}) });
  if (options.json) {
    printJson(saved);
    return;
  }
  const c = paint();
  const verb = existing ? 'Updated' : 'Set';
  const limit = saved.hard_limit ? ', hard limit' : '';
  process.stdout.write(
    `${c.green('✔')} ${verb} ${saved.period} budget of ${c.bold(formatMoney(saved.amount))} for ${describeScope(saved.scope, saved.per)}${limit}${spentLine(saved)}\n`,
  );
}

/** " · spent $0.06 (85.7%)"; a template names its top spender, or says none has spent yet. */
function spentLine(budget: Budget): string {
  const s = budget.status;
  if (!s) return '';
  const used = `${formatMoney(s.spent)} (${formatPercent(s.percentage)})`;
  if (!budget.per) return ` · spent ${used}`;
  return s.value ? ` · top ${s.value} spent ${used}` : ' · none has spent yet';
}
