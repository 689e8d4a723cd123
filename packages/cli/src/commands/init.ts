import { ApiClient } from '../api.js';
import { DEFAULT_BASE_URL, readEnvironment } from '../settings.js';
import { loadConfig, normalizeBaseUrl, resolveSetting, saveConfig } from '../config-file.js';
import { CliError, usageError } from '../errors.js';
import { paint } from '../output/colors.js';
import type { Me } from '../wire.js';

export interface InitOptions {
  baseUrl?: string;
  apiKey?: string;
  email?: string;
  password?: string;
  signup?: boolean;
  nonInteractive?: boolean;
}

export interface Credentials {
  baseUrl: string;
  apiKey: string;
}

interface AuthAnswer {
  token: string;
  api_key?: string;
}

/** Scopes of the key the CLI makes for itself after a login: it reads, tracks and sets budgets. */
const CLI_KEY_SCOPES = ['ingest', 'read', 'admin'];

/** Asks the server who the key belongs to; a wrong key or server fails here, before saving. */
export async function checkKey(credentials: Credentials): Promise<Me> {
  return new ApiClient(credentials.baseUrl, credentials.apiKey, 'given').get<Me>('/api/me');
}

/**
 * Logs in (or signs up) and creates a project API key for this machine with the session, so
 * the CLI never stores a password or a session token.
 */
export async function keyFromAccount(baseUrl: string, email: string, password: string, signup: boolean): Promise<string> {
  const anonymous = new ApiClient(baseUrl, undefined);
  const auth = await anonymous.post<AuthAnswer>(signup ? '/api/auth/signup' : '/api/auth/login', { email, password });
  const session = new ApiClient(baseUrl, auth.token, 'given');
  const created = await session.post<{ key: string }>('/api/keys', {
    name: `llmlab CLI (${new Date().toISOString().slice(0, 10)})`,
    scopes: CLI_KEY_SCOPES,
  });
  return created.key;
}

export async function saveCredentials(credentials: Credentials): Promise<string> {
  const config = await loadConfig();
  config.base_url = credentials.baseUrl;
  config.api_key = credentials.apiKey;
  return saveConfig(config);
}

export function describeConnection(me: Me, baseUrl: string): string {
  const project = me.project?.name ?? 'a project';
  const org = me.org?.name ? ` (${me.org.name})` : '';
  const scopes = me.scopes?.length ? `, scopes ${me.scopes.join(', ')}` : '';
  return `Connected to ${baseUrl}: project ${project}${org}${scopes}`;
}

export async function initialize(options: InitOptions): Promise<void> {
  const env = readEnvironment();
  const flagsGiven = Boolean(options.apiKey || options.email || env.apiKey);
  const interactive = !options.nonInteractive && !flagsGiven && env.stdinIsTTY && env.stdoutIsTTY;
  if (interactive) {
    const { initInteractively } = await import('./init-prompts.js');
    await initInteractively(options);
    return;
  }
  const credentials = await credentialsFromFlags(options);
  const me = await checkKey(credentials);
  const path = await saveCredentials(credentials);
  const c = paint();
  process.stdout.write(`${c.green('✔')} ${describeConnection(me, credentials.baseUrl)}\n${c.green('✔')} Saved to ${path}\n`);
}

async function credentialsFromFlags(options: InitOptions): Promise<Credentials> {
  const base = options.baseUrl ?? (await resolveSetting('base_url')).value ?? DEFAULT_BASE_URL;
  const baseUrl = normalizeBaseUrl(base);
  if (options.email) {
    if (!options.password) throw usageError('--email needs --password to log in.');
    return { baseUrl, apiKey: await keyFromAccount(baseUrl, options.email, options.password, options.signup === true) };
  }
  if (options.signup) throw usageError('--signup needs --email and --password.');
  const apiKey = options.apiKey ?? readEnvironment().apiKey;
  if (!apiKey) {
    throw new CliError(
      'llmlab init needs a terminal to ask questions; pass --api-key (or set LLMLAB_API_KEY), or --email and --password.',
      2,
    );
  }
  return { baseUrl, apiKey };
}
