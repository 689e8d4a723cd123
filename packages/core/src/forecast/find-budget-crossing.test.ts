import { describe, expect, it } from 'vitest';
import { findBudgetCrossing, type ForecastDay } from './find-budget-crossing.js';

const path: ForecastDay[] = [
  { date: '2026-11-22', spend_nanos: 40, cumulative_nanos: 80, forecast: false },
  { date: '2026-11-23', spend_nanos: 15, cumulative_nanos: 95, forecast: true },
  { date: '2026-11-24', spend_nanos: 10, cumulative_nanos: 105, forecast: true },
];

describe('findBudgetCrossing', () => {
  it('gives the first day cumulative spend reaches the budget', () => {
    expect(findBudgetCrossing(path, 100)).toBe('2026-11-24');
    expect(findBudgetCrossing(path, 95)).toBe('2026-11-23');
  });

  it('gives the day an already spent budget was reached', () => {
    expect(findBudgetCrossing(path, 50)).toBe('2026-11-22');
  });

  it('gives null when the period ends under budget', () => {
    expect(findBudgetCrossing(path, 106)).toBeNull();
  });
});
