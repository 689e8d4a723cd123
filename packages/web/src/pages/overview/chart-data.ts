import type { Timeseries } from '../../api/types';

export const MAX_SERIES = 8;
export const OTHER_KEY = 'Other';
export const PALETTE = ['#4f46e5', '#0891b2', '#d97706', '#059669', '#db2777', '#7c3aed', '#65a30d', '#dc2626', '#64748b'];

export interface ChartData {
  keys: string[];
  rows: Record<string, string | number>[];
  total: number;
}

/**
 * One row per bucket with one column per series, largest series first; past MAX_SERIES the
 * small ones are folded into "Other" so the legend stays readable.
 */
export function toChartData(ts: Timeseries): ChartData {
  const sorted = [...ts.series].sort((a, b) => b.total - a.total);
  const shown = sorted.length > MAX_SERIES + 1 ? sorted.slice(0, MAX_SERIES) : sorted;
  const folded = sorted.slice(shown.length);
  const keys = shown.map((s) => s.key);
  if (folded.length) keys.push(OTHER_KEY);
  const rows = ts.buckets.map((bucket) => {
    const row: Record<string, string | number> = { bucket };
    for (const k of keys) row[k] = 0;
    return row;
  });
  const index = new Map(ts.buckets.map((b, i) => [b, i]));
  const add = (key: string, points: Timeseries['series'][number]['points']) => {
    for (const p of points) {
      const i = index.get(p.t);
      if (i !== undefined) rows[i][key] = (rows[i][key] as number) + p.spend;
    }
  };
  for (const s of shown) add(s.key, s.points);
  for (const s of folded) add(OTHER_KEY, s.points);
  return { keys, rows, total: sorted.reduce((n, s) => n + s.total, 0) };
}
