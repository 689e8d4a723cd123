import { ApiClient } from '../api.js';
import { loadConfig, saveConfig } from '../config-file.js';
import type { Me } from '../wire.js';

/**
 * What `llmlab init` does whether it asks questions (init-prompts.ts) or reads flags (init.ts):
 * check a key, make one from an account, save it, describe the connection.
 */

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
