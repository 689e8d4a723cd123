/** One line of the benchmark table: a figure, its reference measured in the same run, and the target. */
export interface BenchRow {
  name: string;
  value: number;
  unit: string;
  reference: number;
  ratio: number;
  target: string;
  pass: boolean;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}

export function round(x: number, places = 2): number {
  const f = 10 ** places;
  return Math.round(x * f) / f;
}

/** The table as Markdown, as the README shows it. */
export function markdownTable(rows: BenchRow[]): string {
  const lines = ['| figure | value | reference | ratio | target | pass |', '|---|---|---|---|---|---|'];
  for (const r of rows) lines.push(`| ${r.name} | ${r.value} ${r.unit} | ${r.reference} | ${r.ratio} | ${r.target} | ${r.pass ? 'yes' : 'NO'} |`);
  return lines.join('\n');
}
