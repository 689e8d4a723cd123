import type { AppContext } from '../context.js';

/** A job a server runs on a timer; `stop` ends the timer and waits for the run in progress. */
export interface PeriodicJob {
  stop(): Promise<void>;
}

/**
 * Runs `run` once `firstRunMs` after start, then every `intervalMs`, never two at once: a tick
 * while a run is in progress is skipped. A failed run is logged as `<name> failed` and the timer
 * goes on. `stop` aborts the run's signal (a run checks it between its steps) and waits for it.
 */
export function startPeriodicJob(
  ctx: AppContext,
  name: string,
  run: (signal: AbortSignal) => Promise<unknown>,
  { intervalMs, firstRunMs }: { intervalMs: number; firstRunMs: number },
): PeriodicJob {
  const abort = new AbortController();
  let current: Promise<unknown> | null = null;
  const tick = () => {
    if (current) return;
    current = run(abort.signal)
      .catch((err: unknown) => ctx.log.error(`${name} failed`, { error: err instanceof Error ? err.message : String(err) }))
      .finally(() => {
        current = null;
      });
  };
  const first = setTimeout(tick, firstRunMs);
  const timer = setInterval(tick, intervalMs);
  first.unref();
  timer.unref();
  return {
    async stop() {
      clearTimeout(first);
      clearInterval(timer);
      abort.abort();
      await current;
    },
  };
}
