import { describe, expect, it } from 'vitest';
import { renderBarChart } from './chart.js';

describe('renderBarChart', () => {
  it('scales bars to the largest day in eighths of a row', () => {
    const chart = renderBarChart(
      [
        { date: '2026-11-25', spend: 0 },
        { date: '2026-11-26', spend: 1 },
        { date: '2026-11-27', spend: 2 },
      ],
      2,
    ).split('\n');
    expect(chart).toEqual(['$2.00 │      ██ ', '      │   ██ ██ ', '      └─────────', '       Nov 25 Nov 27']);
  });

  it('shows a sliver for a day far below the largest, never nothing', () => {
    const [, bottom] = renderBarChart(
      [
        { date: '2026-11-26', spend: 0.0001 },
        { date: '2026-11-27', spend: 100 },
      ],
      2,
    ).split('\n');
    expect(bottom).toContain('▁▁ ██');
  });
});
