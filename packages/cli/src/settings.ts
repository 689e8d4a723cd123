import { readlinkSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Everything the CLI takes from its environment, read in this one place: where the config file
 * lives, the key and server given through the environment, and whether the terminal wants color.
 */
export interface Environment {
  configDir: string;
  apiKey: string | undefined;
  baseUrl: string | undefined;
  /** Colors on stdout: only on a terminal (or FORCE_COLOR), never with NO_COLOR or TERM=dumb. */
  color: boolean;
  /** False with NO_COLOR or TERM=dumb, whatever the stream. */
  colorAllowed: boolean;
  /** This machine's IANA time zone from TZ or /etc/localtime, when either names one. */
  systemTimeZone: string | undefined;
  stdinIsTTY: boolean;
  stdoutIsTTY: boolean;
  stderrIsTTY: boolean;
}

export const DEFAULT_BASE_URL = 'http://127.0.0.1:8787';

let cached: Environment | undefined;

export function readEnvironment(): Environment {
  if (cached) return cached;
  const env = process.env;
  const stdoutIsTTY = process.stdout.isTTY === true;
  const noColor = 'NO_COLOR' in env || env.TERM === 'dumb';
  const forced = env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
  cached = {
    configDir: nonEmpty(env.LLMLAB_CONFIG_DIR) ?? join(homedir(), '.llmlab'),
    apiKey: nonEmpty(env.LLMLAB_API_KEY),
    baseUrl: nonEmpty(env.LLMLAB_BASE_URL),
    color: !noColor && (stdoutIsTTY || forced),
    colorAllowed: !noColor,
    systemTimeZone: zoneFromTz(env.TZ) ?? zoneFromLocaltime(),
    stdinIsTTY: process.stdin.isTTY === true,
    stdoutIsTTY,
    stderrIsTTY: process.stderr.isTTY === true,
  };
  return cached;
}

const IANA_NAME = /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/;

function zoneFromTz(tz: string | undefined): string | undefined {
  return tz && IANA_NAME.test(tz) ? tz : undefined;
}

/**
 * The zone /etc/localtime links to. Reading a link is ~100 times cheaper than asking Intl,
 * which loads the time zone database and costs a short command ~30 ms.
 */
function zoneFromLocaltime(): string | undefined {
  try {
    const match = /zoneinfo\/(.+)$/.exec(readlinkSync('/etc/localtime'));
    return match && IANA_NAME.test(match[1]) ? match[1] : undefined;
  } catch {
    return undefined;
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}
