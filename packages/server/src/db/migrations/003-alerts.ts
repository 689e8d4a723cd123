import type { Kysely } from 'kysely';
import { type DialectName, dialectTypes } from '../dialect.js';

/**
 * Alerts: the org's channels, alerts fired (unique per project, kind, subject, period and
 * threshold, so that several server processes fire each once), and deliveries per channel.
 */
export function up003(dialect: DialectName) {
  const t = dialectTypes(dialect);
  return async (db: Kysely<unknown>): Promise<void> => {
    await db.schema
      .createTable('alert_channels')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('target', 'text', (c) => c.notNull())
      .addColumn('secret', 'text')
      .addColumn('enabled', 'integer', (c) => c.notNull())
      .addColumn('created_at', t.bigint, (c) => c.notNull())
      .addColumn('updated_at', t.bigint, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('alert_channels_org').on('alert_channels').column('org_id').execute();
    await db.schema
      .createTable('alerts_fired')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id').onDelete('cascade'))
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('subject', 'text', (c) => c.notNull())
      .addColumn('period_key', 'text', (c) => c.notNull())
      .addColumn('threshold', 'integer', (c) => c.notNull())
      .addColumn('budget_id', 'text')
      .addColumn('message', 'text', (c) => c.notNull())
      .addColumn('payload', t.json)
      .addColumn('fired_at', t.bigint, (c) => c.notNull())
      .addUniqueConstraint('alerts_fired_once', ['project_id', 'kind', 'subject', 'period_key', 'threshold'])
      .execute();
    await db.schema.createIndex('alerts_fired_project_time').on('alerts_fired').columns(['project_id', 'fired_at']).execute();
    await db.schema
      .createTable('alert_deliveries')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('alert_id', 'text', (c) => c.notNull().references('alerts_fired.id').onDelete('cascade'))
      .addColumn('channel_id', 'text', (c) => c.notNull())
      .addColumn('channel_type', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull())
      .addColumn('last_error', 'text')
      .addColumn('updated_at', t.bigint, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('alert_deliveries_alert').on('alert_deliveries').column('alert_id').execute();
  };
}
