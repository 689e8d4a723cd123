import { AppError, type BillingConnectionAnswer, type BillingConnectionInput, type BillingConnectionPatch, type BillingProvider, nanosToUsd, usdToNanos } from '@llmlab/core';
import { uuidv7 } from 'uuidv7';
import { audit } from '../audit/record-audit.js';
import type { AppContext, TenantContext } from '../context.js';
import { decryptProviderKey, encryptProviderKey } from '../gateway-keys/key-cipher.js';
import type { BillingConnectionsTable } from './tables.js';

/** The ciphertext's binding: the org and `billing:<provider>`, so it cannot pass for another org's, or for a gateway provider key. */
const purpose = (provider: BillingProvider) => `billing:${provider}`;
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

type Shown = Omit<BillingConnectionsTable, 'id' | 'org_id' | 'ciphertext' | 'sync_claimed_at'>;

/** What the API shows of a connection: never the key, only its last four characters. */
function present(row: Shown): BillingConnectionAnswer {
  return {
    provider: row.provider,
    hint: `...${row.hint}`,
    alert_threshold_usd: row.alert_threshold_nanos === null ? null : nanosToUsd(row.alert_threshold_nanos),
    alert_threshold_pct: row.alert_threshold_pct === null ? null : Number(row.alert_threshold_pct),
    last_sync_at: iso(row.last_sync_at),
    last_sync_status: row.last_sync_status,
    last_error: row.last_error,
    last_success_at: iso(row.last_success_at),
    created_at: new Date(row.created_at).toISOString(),
    updated_at: new Date(row.updated_at).toISOString(),
  };
}

const SHOWN = ['provider', 'hint', 'alert_threshold_nanos', 'alert_threshold_pct', 'last_sync_at', 'last_sync_status', 'last_error', 'last_success_at', 'created_at', 'updated_at'] as const;

/** The thresholds as the audit log shows them. */
const thresholdsOf = (row: Pick<BillingConnectionsTable, 'alert_threshold_nanos' | 'alert_threshold_pct'>) => ({
  alert_threshold_usd: row.alert_threshold_nanos === null ? null : nanosToUsd(row.alert_threshold_nanos),
  alert_threshold_pct: row.alert_threshold_pct === null ? null : Number(row.alert_threshold_pct),
});

function thresholdValues(input: BillingConnectionPatch | BillingConnectionInput): Partial<Pick<BillingConnectionsTable, 'alert_threshold_nanos' | 'alert_threshold_pct'>> {
  const out: Partial<Pick<BillingConnectionsTable, 'alert_threshold_nanos' | 'alert_threshold_pct'>> = {};
  if (input.alert_threshold_usd !== undefined) out.alert_threshold_nanos = input.alert_threshold_usd === null ? null : usdToNanos(input.alert_threshold_usd);
  if (input.alert_threshold_pct !== undefined) out.alert_threshold_pct = input.alert_threshold_pct;
  return out;
}

/**
 * Stores (or replaces) the org's admin key for a provider, encrypted at rest, with the alert
 * thresholds given. A new key starts with no sync status: the next sync tells whether it works.
 */
export async function setBillingConnection({ ctx, provider, input }: { ctx: TenantContext; provider: BillingProvider; input: BillingConnectionInput }): Promise<BillingConnectionAnswer> {
  const now = ctx.now();
  const orgId = ctx.actor.orgId;
  const ciphertext = encryptProviderKey(ctx.config.secret, orgId, purpose(provider), input.admin_key);
  const hint = input.admin_key.slice(-4);
  const thresholds = thresholdValues(input);
  const reset = { ciphertext, hint, last_sync_at: null, last_sync_status: null, last_error: null, last_success_at: null, sync_claimed_at: null, updated_at: now };
  return ctx.db.transaction(async (trx) => {
    const current = await ctx.db.forUpdate(trx.selectFrom('billing_connections').select(['hint', 'alert_threshold_nanos', 'alert_threshold_pct']).where('org_id', '=', orgId).where('provider', '=', provider)).executeTakeFirst();
    await trx
      .insertInto('billing_connections')
      .values({ id: uuidv7(), org_id: orgId, provider, alert_threshold_nanos: null, alert_threshold_pct: null, created_at: now, ...reset, ...thresholds })
      .onConflict((oc) => oc.columns(['org_id', 'provider']).doUpdateSet({ ...reset, ...thresholds }))
      .execute();
    const row = await trx.selectFrom('billing_connections').select(SHOWN).where('org_id', '=', orgId).where('provider', '=', provider).executeTakeFirstOrThrow();
    await audit(trx, ctx, {
      action: 'billing_connection.set',
      targetType: 'billing_connection',
      targetId: provider,
      before: current ? { provider, admin_key: `...${current.hint}`, ...thresholdsOf(current) } : null,
      after: { provider, admin_key: `...${hint}`, ...thresholdsOf(row) },
    });
    return present(row);
  });
}

/** Changes the alert thresholds of a connection, keeping its key. */
export async function updateBillingConnection({ ctx, provider, input }: { ctx: TenantContext; provider: BillingProvider; input: BillingConnectionPatch }): Promise<BillingConnectionAnswer> {
  const orgId = ctx.actor.orgId;
  return ctx.db.transaction(async (trx) => {
    const before = await ctx.db.forUpdate(trx.selectFrom('billing_connections').select(SHOWN).where('org_id', '=', orgId).where('provider', '=', provider)).executeTakeFirst();
    if (!before) throw new AppError('not_found', `no ${provider} billing connection: store its admin key first (PUT /api/billing/connections/${provider})`);
    const after = { ...before, ...thresholdValues(input), updated_at: ctx.now() };
    await trx
      .updateTable('billing_connections')
      .set({ alert_threshold_nanos: after.alert_threshold_nanos, alert_threshold_pct: after.alert_threshold_pct, updated_at: after.updated_at })
      .where('org_id', '=', orgId)
      .where('provider', '=', provider)
      .execute();
    await audit(trx, ctx, { action: 'billing_connection.updated', targetType: 'billing_connection', targetId: provider, before: thresholdsOf(before), after: thresholdsOf(after) });
    return present(after);
  });
}

export async function listBillingConnections({ ctx }: { ctx: TenantContext }): Promise<BillingConnectionAnswer[]> {
  const rows = await ctx.db.kysely.selectFrom('billing_connections').select(SHOWN).where('org_id', '=', ctx.actor.orgId).orderBy('provider').execute();
  return rows.map(present);
}

/** Forgets the admin key and the bills read with it: the provider is no longer reconciled. */
export async function deleteBillingConnection({ ctx, provider }: { ctx: TenantContext; provider: BillingProvider }): Promise<void> {
  const orgId = ctx.actor.orgId;
  await ctx.db.transaction(async (trx) => {
    const stored = await trx.deleteFrom('billing_connections').where('org_id', '=', orgId).where('provider', '=', provider).returning(['hint', 'alert_threshold_nanos', 'alert_threshold_pct']).executeTakeFirst();
    if (!stored) throw new AppError('not_found', `no ${provider} billing connection is stored for this org`);
    await trx.deleteFrom('billed_lines').where('org_id', '=', orgId).where('provider', '=', provider).execute();
    await trx.deleteFrom('billed_days').where('org_id', '=', orgId).where('provider', '=', provider).execute();
    await audit(trx, ctx, { action: 'billing_connection.deleted', targetType: 'billing_connection', targetId: provider, before: { provider, admin_key: `...${stored.hint}`, ...thresholdsOf(stored) } });
  });
}

/** The org's connections as the sync reads them (with the encrypted key), by provider. */
export async function readConnections(ctx: AppContext, orgId: string) {
  return ctx.db.kysely
    .selectFrom('billing_connections')
    .select(['org_id', 'provider', 'ciphertext', 'alert_threshold_nanos', 'alert_threshold_pct'])
    .where('org_id', '=', orgId)
    .orderBy('provider')
    .execute();
}

/** The decrypted admin key of a connection, or the error to show when it no longer decrypts. */
export function readAdminKey(ctx: AppContext, orgId: string, provider: BillingProvider, ciphertext: string): string {
  try {
    return decryptProviderKey(ctx.config.secret, orgId, purpose(provider), ciphertext);
  } catch {
    throw new AppError('bad_request', `the stored ${provider} admin key cannot be decrypted (LLMLAB_SECRET changed since it was stored); store it again`);
  }
}
