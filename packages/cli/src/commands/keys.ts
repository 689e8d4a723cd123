import { connect } from '../api.js';
import { usageError } from '../errors.js';
import { paint } from '../output/colors.js';
import { formatCount, formatMoney, printJson } from '../output/format.js';
import { renderTable } from '../output/table.js';
import type { ApiKey, CreatedApiKey } from '../wire.js';

export interface KeyCreateOptions {
  scopes: string[];
  budget?: number;
  period?: 'daily' | 'weekly' | 'monthly';
  rpm?: number;
  tpm?: number;
  models?: string[];
  providers?: string[];
  expires?: string;
  json?: boolean;
}

export async function listKeys(options: { json?: boolean }): Promise<void> {
  const client = await connect();
  const { keys } = await client.get<{ keys: ApiKey[] }>('/api/keys');
  if (options.json) {
    printJson(keys);
    return;
  }
  if (keys.length === 0) {
    process.stdout.write('No API keys yet; make one with `llmlab keys create NAME`.\n');
    return;
  }
  process.stdout.write(`${renderKeys(keys)}\n`);
}

/** One row a key: what it may call, until when, how fast, and its budget's spend this period. */
export function renderKeys(keys: ApiKey[]): string {
  const c = paint();
  const none = c.dim('-');
  const rows = keys.map((k) => [
    k.revoked_at ? c.dim(`${k.name} (revoked)`) : k.name,
    `${k.prefix}…`,
    k.scopes.join(','),
    k.allowed_models?.join(',') ?? none,
    k.allowed_providers?.join(',') ?? none,
    k.expires_at ? k.expires_at.slice(0, 10) : none,
    k.rate_limit ? describeRates(k.rate_limit) : none,
    k.budget ? `${formatMoney(k.budget.spent)} of ${formatMoney(k.budget.amount)} ${k.budget.period}` : none,
  ]);
  return renderTable(rows, { head: ['Name', 'Key', 'Scopes', 'Models', 'Providers', 'Expires', 'Rate limit', 'Budget'] });
}

/**
 * The limits of a rate limit, joined.
 * @example describeRates({ requests_per_minute: 10, tokens_per_minute: null, cost_per_hour: 2 }) // '10 req/min, $2.00/h'
 */
export function describeRates(r: { requests_per_minute: number | null; tokens_per_minute: number | null; cost_per_hour: number | null }): string {
  const parts: string[] = [];
  if (r.requests_per_minute !== null) parts.push(`${formatCount(r.requests_per_minute)} req/min`);
  if (r.tokens_per_minute !== null) parts.push(`${formatCount(r.tokens_per_minute)} tok/min`);
  if (r.cost_per_hour !== null) parts.push(`${formatMoney(r.cost_per_hour)}/h`);
  return parts.join(', ');
}

export async function createKey(name: string, options: KeyCreateOptions): Promise<void> {
  if (options.period && options.budget === undefined) throw usageError('--period sets the period of a budget: give --budget too.');
  const body = {
    name,
    scopes: options.scopes,
    budget: options.budget === undefined ? undefined : { amount: options.budget, period: options.period ?? 'monthly' },
    rate_limit:
      options.rpm === undefined && options.tpm === undefined ? undefined : { requests_per_minute: options.rpm, tokens_per_minute: options.tpm },
    allowed_models: options.models,
    allowed_providers: options.providers,
    expires_at: options.expires,
  };
  const client = await connect();
  const created = await client.post<CreatedApiKey>('/api/keys', body);
  if (options.json) {
    printJson(created);
    return;
  }
  const c = paint();
  process.stdout.write(
    `${c.green('✔')} Created the key "${created.name}" (${created.scopes.join(', ')}). Copy it now: it is shown this once.\n  ${created.key}\n`,
  );
}
