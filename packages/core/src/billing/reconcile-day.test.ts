import { describe, expect, it } from 'vitest';
import { DAY_MS, HOUR_MS } from '../time/zones.js';
import { differencePct, isSettled, modelKey, openaiLineModel, reconcileModels } from './reconcile-day.js';

describe('reconciling a provider day', () => {
  it('reads the model of an OpenAI line item, and none from a line that names no model', () => {
    expect(openaiLineModel('gpt-4o-2024-08-06, input')).toBe('gpt-4o-2024-08-06');
    expect(openaiLineModel('gpt-4o-mini, cached input')).toBe('gpt-4o-mini');
    expect(openaiLineModel('web search tool calls')).toBe('');
  });

  it('compares a dated model on the bill with the name LLMLab tracked', () => {
    expect(modelKey('openai', 'gpt-4o-2024-08-06')).toBe(modelKey('openai', 'gpt-4o'));
    expect(modelKey('anthropic', 'claude-sonnet-4-20250514')).toBe('claude-sonnet-4-0');
    expect(modelKey('openai', 'my-finetune')).toBe('my-finetune');
  });

  it('puts every bill line in a row: models matched, a tool line and an unknown model on their own', () => {
    const rows = reconcileModels(
      'openai',
      [
        { model: 'gpt-4o', cost_nanos: 7_000_000_000, unpriced_calls: 0 },
        { model: 'gpt-4o-mini', cost_nanos: 500_000_000, unpriced_calls: 3 },
      ],
      [
        { line_item: 'gpt-4o-2024-08-06, input', model: 'gpt-4o-2024-08-06', amount_nanos: 5_000_000_000 },
        { line_item: 'gpt-4o-2024-08-06, output', model: 'gpt-4o-2024-08-06', amount_nanos: 3_000_000_000 },
        { line_item: 'web search tool calls', model: '', amount_nanos: 250_000_000 },
        { line_item: 'my-finetune, input', model: 'my-finetune', amount_nanos: 100_000_000 },
      ],
    );
    expect(rows).toEqual([
      {
        model: 'gpt-4o', line_item: null, tracked_nanos: 7_000_000_000, billed_nanos: 8_000_000_000, difference_nanos: 1_000_000_000, difference_pct: 12.5, unpriced_calls: 0,
        line_items: [{ line_item: 'gpt-4o-2024-08-06, input', billed_nanos: 5_000_000_000 }, { line_item: 'gpt-4o-2024-08-06, output', billed_nanos: 3_000_000_000 }],
      },
      { model: null, line_item: 'web search tool calls', tracked_nanos: 0, billed_nanos: 250_000_000, difference_nanos: 250_000_000, difference_pct: 100, unpriced_calls: 0, line_items: [{ line_item: 'web search tool calls', billed_nanos: 250_000_000 }] },
      { model: 'my-finetune', line_item: null, tracked_nanos: 0, billed_nanos: 100_000_000, difference_nanos: 100_000_000, difference_pct: 100, unpriced_calls: 0, line_items: [{ line_item: 'my-finetune, input', billed_nanos: 100_000_000 }] },
      { model: 'gpt-4o-mini', line_item: null, tracked_nanos: 500_000_000, billed_nanos: 0, difference_nanos: -500_000_000, difference_pct: null, unpriced_calls: 3, line_items: [] },
    ]);
    const billed = rows.reduce((a, r) => a + r.billed_nanos, 0);
    expect(billed).toBe(8_350_000_000);
  });

  it('gives the difference as a share of the bill, and settles a day 48 hours after it ends', () => {
    expect(differencePct(41_000_000_000, 100_000_000_000)).toBe(41);
    expect(differencePct(-1, 3)).toBe(-33.33);
    expect(differencePct(5, 0)).toBeNull();
    const day = Date.UTC(2026, 10, 1);
    expect(isSettled(day, day + DAY_MS + 48 * HOUR_MS - 1)).toBe(false);
    expect(isSettled(day, day + DAY_MS + 48 * HOUR_MS)).toBe(true);
  });
});
