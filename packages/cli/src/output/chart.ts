import { paint } from './colors.js';
import { formatMoney, shortDate } from './format.js';

const BLOCKS = [' ', '▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/**
 * A bar chart of daily spend in `height` rows of block characters, one column per day, with
 * the largest value on the y axis and the first and last dates under it.
 */
export function renderBarChart(points: { date: string; spend: number }[], height = 6): string {
  const c = paint();
  if (points.length === 0) return c.dim('  no days to chart');
  const max = Math.max(...points.map((p) => p.spend));
  const label = formatMoney(max);
  const gutter = label.length + 1;
  // A day with any spend shows at least a sliver, so that it never reads as zero.
  const eighths = points.map((p) => (p.spend > 0 ? Math.max(1, Math.round((p.spend / max) * height * 8)) : 0));
  const rows: string[] = [];
  for (let row = height - 1; row >= 0; row--) {
    const cells = eighths.map((e) => {
      const block = BLOCKS[Math.max(0, Math.min(8, e - row * 8))];
      return `${block}${block} `;
    });
    const axis = row === height - 1 ? label.padStart(gutter - 1) : ''.padStart(gutter - 1);
    rows.push(`${c.dim(axis)} ${c.dim('│')}${c.green(cells.join(''))}`);
  }
  const width = points.length * 3;
  rows.push(`${''.padStart(gutter - 1)} ${c.dim(`└${'─'.repeat(width)}`)}`);
  const first = shortDate(points[0].date);
  const last = shortDate(points[points.length - 1].date);
  const gap = Math.max(1, width - first.length - last.length);
  rows.push(`${''.padStart(gutter)} ${c.dim(points.length > 1 ? `${first}${' '.repeat(gap)}${last}` : first)}`);
  return rows.join('\n');
}
