import type { Kysely } from 'kysely';
import { type DialectName, dialectTypes } from '../dialect.js';

/**
 * Reconciliation with the providers' bills: an org's admin key per provider (encrypted like
 * provider keys), its alert thresholds and last sync; the days whose bill was read, and the
 * billed amounts per day and line item in nanodollars, which GET /api/billing/reconciliation
 * reads without calling the provider.
 */
export function up014(dialect: DialectName) {
  const t = dialectTypes(dialect);
  return async (db: Kysely<unknown>): Promise<void> => {
    await db.schema
      .createTable('billing_connections')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
      .addColumn('provider', 'text', (c) => c.notNull())
      .addColumn('ciphertext', 'text', (c) => c.notNull())
      .addColumn('hint', 'text', (c) => c.notNull())
      .addColumn('alert_threshold_nanos', t.bigint)
      .addColumn('alert_threshold_pct', t.real)
      .addColumn('last_sync_at', t.bigint)
      .addColumn('last_sync_status', 'text')
      .addColumn('last_error', 'text')
      .addColumn('last_success_at', t.bigint)
      .addColumn('sync_claimed_at', t.bigint)
      .addColumn('created_at', t.bigint, (c) => c.notNull())
      .addColumn('updated_at', t.bigint, (c) => c.notNull())
      .addUniqueConstraint('billing_connections_org_provider', ['org_id', 'provider'])
      .execute();
    await db.schema
      .createTable('billed_days')
      .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
      .addColumn('provider', 'text', (c) => c.notNull())
      .addColumn('day', t.bigint, (c) => c.notNull())
      .addColumn('fetched_at', t.bigint, (c) => c.notNull())
      .addPrimaryKeyConstraint('billed_days_pk', ['org_id', 'provider', 'day'])
      .execute();
    await db.schema
      .createTable('billed_lines')
      .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
      .addColumn('provider', 'text', (c) => c.notNull())
      .addColumn('day', t.bigint, (c) => c.notNull())
      .addColumn('line_item', 'text', (c) => c.notNull())
      .addColumn('model', 'text', (c) => c.notNull())
      .addColumn('amount_nanos', t.bigint, (c) => c.notNull())
      .addPrimaryKeyConstraint('billed_lines_pk', ['org_id', 'provider', 'day', 'line_item'])
      .execute();
  };
}
