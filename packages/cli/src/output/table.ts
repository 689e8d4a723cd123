import Table from 'cli-table3';
import { paint } from './colors.js';

export type Align = 'left' | 'right';

/**
 * An aligned, borderless table (the look of `gh` and `stripe`): a bold header, columns padded
 * to their widest cell. cli-table3 measures width without escape codes, so colored cells align.
 */
export function renderTable(rows: string[][], options: { head?: string[]; align?: Align[] } = {}): string {
  const c = paint();
  const columns = options.head?.length ?? rows[0]?.length ?? 0;
  const table = new Table({
    head: (options.head ?? []).map((h) => c.bold(h)),
    colAligns: Array.from({ length: columns }, (_, i) => options.align?.[i] ?? 'left'),
    chars: {
      top: '', 'top-mid': '', 'top-left': '', 'top-right': '',
      bottom: '', 'bottom-mid': '', 'bottom-left': '', 'bottom-right': '',
      left: '  ', 'left-mid': '', mid: '', 'mid-mid': '',
      right: '', 'right-mid': '', middle: '  ',
    },
    // cli-table3's default header and border colors use their own color detection: turn them off.
    style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0 },
  });
  table.push(...rows);
  return table
    .toString()
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n');
}
