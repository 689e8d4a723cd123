import pc from 'picocolors';
import { readEnvironment } from '../settings.js';

type Colors = ReturnType<typeof pc.createColors>;

let stdoutColors: Colors | undefined;
let stderrColors: Colors | undefined;

/**
 * Color functions for stdout that are the identity unless stdout is a terminal without NO_COLOR.
 * picocolors' own detection turns color on when CI is set, even through a pipe; ours does not.
 */
export function paint(): Colors {
  stdoutColors ??= pc.createColors(readEnvironment().color);
  return stdoutColors;
}

/** The same for messages on stderr, which may be a terminal while stdout is piped. */
export function paintStderr(): Colors {
  const env = readEnvironment();
  stderrColors ??= pc.createColors(env.colorAllowed && env.stderrIsTTY);
  return stderrColors;
}
