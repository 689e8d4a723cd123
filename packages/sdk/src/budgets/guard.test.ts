import { describe, expect, it } from 'vitest';
import { BudgetGuard } from './guard.js';
import type { Budget } from './types.js';

const budget = (scope: Budget['scope'], exceeded = true): Budget => ({
  id: 'b1',
  name: 'scoped',
  amount: 10,
  period: 'monthly',
  scope,
  thresholds: [50, 80, 100],
  hard_limit: true,
  created_at: 0,
  status: { spent: 12.5, percentage: 125, alert: true, exceeded, reached: [50, 80, 100], period_start: 0, period_end: 0 },
});

async function guardWith(budgets: Budget[]) {
  const guard = new BudgetGuard(async () => budgets, 5000, 1000, () => {});
  await guard.refresh();
  return guard;
}

describe('BudgetGuard', () => {
  it('blocks only the calls inside an exhausted budget scope', async () => {
    const guard = await guardWith([budget({ provider: 'openai', model: 'gpt-4o-2024-08-06' })]);
    expect(guard.check({ provider: 'openai', model: 'gpt-4o', feature: undefined }).kind).toBe('block');
    expect(guard.check({ provider: 'openai', model: 'gpt-4o-2024-08-06', feature: 'x' }).kind).toBe('block');
    expect(guard.check({ provider: 'openai', model: 'gpt-4o-mini', feature: undefined }).kind).toBe('allow');
    expect(guard.check({ provider: 'anthropic', model: 'gpt-4o', feature: undefined }).kind).toBe('allow');
  });

  it('says which budget stopped the call and by how much', async () => {
    const guard = await guardWith([budget({ feature: 'chat' })]);
    const verdict = guard.check({ provider: 'openai', model: 'gpt-4o', feature: 'chat' });
    expect(verdict.kind === 'block' && verdict.error.message).toBe('budget scoped is exhausted (spent $12.50 of $10 this month) and has a hard limit');
    expect(guard.check({ provider: 'openai', model: 'gpt-4o', feature: 'search' }).kind).toBe('allow');
  });

  it('makes only the first call wait, and lets calls through when budgets cannot be read', async () => {
    const warnings: string[] = [];
    const guard = new BudgetGuard(async () => Promise.reject(new Error('ECONNREFUSED')), 5000, 1000, (m) => warnings.push(m));
    const first = guard.check({ provider: 'openai', model: 'gpt-4o', feature: undefined });
    expect(first.kind).toBe('wait');
    if (first.kind === 'wait') await first.ready;
    expect(guard.check({ provider: 'openai', model: 'gpt-4o', feature: undefined }).kind).toBe('allow');
    expect(warnings).toEqual(['could not read budgets, calls are let through until it can: ECONNREFUSED']);
  });
});
