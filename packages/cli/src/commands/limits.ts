import { connect } from '../api.js';
import { usageError } from '../errors.js';
import { paint } from '../output/colors.js';
import { printJson } from '../output/format.js';
import { renderTable } from '../output/table.js';
import type { RateLimit } from '../wire.js';
import { describeRates } from './keys.js';

export interface LimitCreateOptions {
  name?: string;
  rpm?: number;
  tpm?: number;
  costPerHour?: number;
  per?: 'end_user' | 'api_key' | 'feature';
  provider?: string;
  model?: string;
  feature?: string;
  endUser?: string;
  key?: string;
  json?: boolean;
}

export async function listLimits(options: { json?: boolean }): Promise<void> {
  const client = await connect();
  const { rate_limits: limits } = await client.get<{ rate_limits: RateLimit[] }>('/api/rate-limits');
  if (options.json) {
    printJson(limits);
    return;
  }
  if (limits.length === 0) {
    process.stdout.write('No rate limits yet; make one with `llmlab limits create --rpm 60`.\n');
    return;
  }
  process.stdout.write(`${renderLimits(limits)}\n`);
}

export function renderLimits(limits: RateLimit[]): string {
  const none = paint().dim('-');
  const rows = limits.map((l) => [
    l.name,
    describeRates(l),
    l.per ?? none,
    l.scope ? Object.entries(l.scope).map(([field, value]) => `${field}=${value}`).join(' ') : 'every call',
    l.id,
  ]);
  return renderTable(rows, { head: ['Name', 'Limits', 'Per', 'Counts', 'ID'] });
}

export async function createLimit(options: LimitCreateOptions): Promise<void> {
  if (options.rpm === undefined && options.tpm === undefined && options.costPerHour === undefined) {
    throw usageError('Give at least one limit: --rpm, --tpm or --cost-per-hour.');
  }
  const scope = { provider: options.provider, model: options.model, feature: options.feature, end_user: options.endUser, api_key_id: options.key };
  const scoped = Object.values(scope).some((v) => v !== undefined);
  const client = await connect();
  const created = await client.post<RateLimit>('/api/rate-limits', {
    name: options.name,
    requests_per_minute: options.rpm,
    tokens_per_minute: options.tpm,
    cost_per_hour: options.costPerHour,
    per: options.per,
    scope: scoped ? scope : undefined,
  });
  if (options.json) {
    printJson(created);
    return;
  }
  process.stdout.write(`${paint().green('✔')} Created the rate limit "${created.name}": ${describeRates(created)} (id ${created.id})\n`);
}

export async function deleteLimit(id: string): Promise<void> {
  const client = await connect();
  await client.delete(`/api/rate-limits/${encodeURIComponent(id)}`);
  process.stdout.write(`${paint().green('✔')} Deleted the rate limit ${id}.\n`);
}
