import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CliError, usageError } from './errors.js';
import { DEFAULT_BASE_URL, readEnvironment } from './settings.js';

/** The settings `llmlab config` knows, as stored in config.json. */
export const CONFIG_KEYS = ['base_url', 'api_key', 'timezone'] as const;
export type ConfigKey = (typeof CONFIG_KEYS)[number];
export type StoredConfig = Partial<Record<ConfigKey, string>>;

export type SettingSource = 'flag' | 'env' | 'file' | 'default' | 'unset';

export interface Setting {
  value: string | undefined;
  source: SettingSource;
}

export function configPath(): string {
  return join(readEnvironment().configDir, 'config.json');
}

export function isConfigKey(key: string): key is ConfigKey {
  return (CONFIG_KEYS as readonly string[]).includes(key);
}

export async function loadConfig(): Promise<StoredConfig> {
  const path = configPath();
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new CliError(`Cannot read ${path} (${(error as Error).message}); check its permissions.`);
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
    const config: StoredConfig = {};
    for (const key of CONFIG_KEYS) {
      const value = (parsed as Record<string, unknown>)[key];
      if (typeof value === 'string' && value !== '') config[key] = value;
    }
    return config;
  } catch {
    throw new CliError(`${path} is not valid JSON; fix it or delete it and run \`llmlab init\` again.`);
  }
}

/** Writes the config readable by its owner only (0600), in a folder only the owner can enter. */
export async function saveConfig(config: StoredConfig): Promise<string> {
  const dir = readEnvironment().configDir;
  const path = configPath();
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const temp = `${path}.${process.pid}.tmp`;
  await writeFile(temp, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  // The mode given to writeFile is filtered by the umask; set it explicitly.
  await chmod(temp, 0o600);
  await rename(temp, path);
  return path;
}

/** The value of one setting and where it came from: flag, then environment, then file. */
export async function resolveSetting(key: ConfigKey, flag?: string): Promise<Setting> {
  if (flag) return { value: flag, source: 'flag' };
  const env = readEnvironment();
  const fromEnv = key === 'api_key' ? env.apiKey : key === 'base_url' ? env.baseUrl : undefined;
  if (fromEnv) return { value: fromEnv, source: 'env' };
  const stored = (await loadConfig())[key];
  if (stored) return { value: stored, source: 'file' };
  if (key === 'base_url') return { value: DEFAULT_BASE_URL, source: 'default' };
  if (key === 'timezone') return { value: systemTimeZone(), source: 'default' };
  return { value: undefined, source: 'unset' };
}

export function systemTimeZone(): string {
  return readEnvironment().systemTimeZone ?? (Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC');
}

/** Checks a value before it is stored, so that a typo fails now rather than on the next call. */
export function validateSetting(key: ConfigKey, value: string): string {
  const trimmed = value.trim();
  if (key === 'base_url') return normalizeBaseUrl(trimmed);
  if (key === 'timezone') return checkTimeZone(trimmed);
  if (trimmed === '') throw usageError('The API key is empty; copy it from the dashboard or from `llmlab init`.');
  return trimmed;
}

export function normalizeBaseUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw usageError(`"${value}" is not a URL; give the server address like ${DEFAULT_BASE_URL}.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw usageError(`"${value}" is not an http(s) URL; give the server address like ${DEFAULT_BASE_URL}.`);
  }
  return url.href.replace(/\/+$/, '');
}

export function checkTimeZone(value: string): string {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return value;
  } catch {
    throw usageError(`"${value}" is not a time zone; use an IANA name such as UTC or Europe/Paris.`);
  }
}

/** "llmlab_abcd…wxyz": enough to recognise a key, not enough to use it. */
export function maskKey(key: string): string {
  if (key.length <= 12) return `${key.slice(0, 2)}…`;
  const underscore = key.indexOf('_');
  const head = underscore > 0 && underscore < 10 ? underscore + 5 : 4;
  return `${key.slice(0, head)}…${key.slice(-4)}`;
}
