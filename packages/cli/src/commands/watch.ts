import { paint } from '../output/colors.js';
import { formatCount, formatMoney, sortedBySpend } from '../output/format.js';
import { renderBarChart } from '../output/chart.js';
import { readEnvironment } from '../settings.js';
import type { Summary } from '../wire.js';
import { fetchSummary, renderBudgetLine } from './status.js';

export interface WatchOptions {
  interval: number;
  days: number;
  tz?: string;
  once?: boolean;
  json?: boolean;
}

const CLEAR_SCREEN = '\x1b[2J\x1b[H';
const HIDE_CURSOR = '\x1b[?25l';
const SHOW_CURSOR = '\x1b[?25h';

export function renderFrame(summary: Summary, days: number, at: Date): string {
  const c = paint();
  const lines = [
    `${c.bold(c.cyan('LLMLab · live spend'))}  ${c.dim(`updated ${at.toLocaleTimeString('en-GB')}`)}`,
    '',
    `${c.bold('Today')} ${formatMoney(summary.today_spend)}   ${c.bold('This Month')} ${formatMoney(summary.this_month_spend)}   ${c.bold(`Last ${days} days`)} ${formatMoney(summary.total_spend)}${summary.calls === undefined ? '' : c.dim(`  ${formatCount(summary.calls)} calls`)}`,
    renderBudgetLine(summary.budget_status),
    '',
    renderBarChart(summary.daily_trend.slice(-days)),
    '',
  ];
  const top = sortedBySpend(summary.by_model).slice(0, 5);
  if (top.length) {
    const width = Math.max(...top.map(([model]) => model.length));
    lines.push(c.bold('Top models'));
    for (const [model, usd] of top) lines.push(`  ${model.padEnd(width)}  ${formatMoney(usd).padStart(12)}`);
  }
  return lines.join('\n');
}

/**
 * Redraws the summary every `interval` seconds until ctrl-c. On a terminal the screen is
 * redrawn in place; through a pipe each frame is appended, so logs stay readable. A failed
 * refresh keeps the last frame and says why; only a failure of the first one exits.
 */
export async function watchSpend(options: WatchOptions): Promise<void> {
  const tty = readEnvironment().stdoutIsTTY;
  const draw = async () => {
    const summary = await fetchSummary({ days: options.days, tz: options.tz });
    if (options.json) {
      process.stdout.write(`${JSON.stringify(summary)}\n`);
      return;
    }
    const frame = renderFrame(summary, options.days, new Date());
    process.stdout.write(tty && !options.once ? `${CLEAR_SCREEN}${frame}\n${paint().dim('ctrl-c to exit')}\n` : `${frame}\n`);
  };
  if (options.once) {
    await draw();
    return;
  }
  // Listen for ctrl-c before the first frame, so that it never meets the default handler.
  let stopped = false;
  let wake: (() => void) | undefined;
  const stop = () => {
    stopped = true;
    wake?.();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  try {
    await draw();
    if (tty) process.stdout.write(HIDE_CURSOR);
    while (!stopped) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, options.interval * 1000);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      if (stopped) break;
      await draw().catch((error: Error) => {
        process.stderr.write(`${paint().yellow('⚠')} ${error.message} Retrying in ${options.interval}s.\n`);
      });
    }
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    if (tty) process.stdout.write(`${SHOW_CURSOR}\n`);
  }
}
