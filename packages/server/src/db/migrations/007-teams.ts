import type { Kysely } from 'kysely';
import { type DialectName, dialectTypes } from '../dialect.js';

/**
 * Teams: invitations (a single-use token, stored hashed), when each member was last seen in
 * the org, and the append-only audit log of every change to the org's settings.
 */
export function up007(dialect: DialectName) {
  const t = dialectTypes(dialect);
  return async (db: Kysely<unknown>): Promise<void> => {
    await db.schema.alterTable('memberships').addColumn('last_seen_at', t.bigint).execute();
    await db.schema
      .createTable('invitations')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
      .addColumn('email', 'text', (c) => c.notNull())
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('token_hash', 'text', (c) => c.notNull().unique())
      .addColumn('invited_by', 'text')
      .addColumn('created_at', t.bigint, (c) => c.notNull())
      .addColumn('expires_at', t.bigint, (c) => c.notNull())
      .addColumn('accepted_at', t.bigint)
      .addColumn('accepted_by', 'text')
      .addColumn('revoked_at', t.bigint)
      .execute();
    await db.schema.createIndex('invitations_org').on('invitations').columns(['org_id', 'created_at']).execute();
    await db.schema
      .createTable('audit_log')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
      .addColumn('project_id', 'text')
      .addColumn('at', t.bigint, (c) => c.notNull())
      .addColumn('actor_type', 'text', (c) => c.notNull())
      .addColumn('actor_id', 'text', (c) => c.notNull())
      .addColumn('actor_label', 'text')
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('target_type', 'text', (c) => c.notNull())
      .addColumn('target_id', 'text')
      .addColumn('before', t.json)
      .addColumn('after', t.json)
      .addColumn('ip', 'text')
      .addColumn('user_agent', 'text')
      .execute();
    // Pages go newest first by (at, id) within an org; ids are uuidv7, so they follow time too.
    await db.schema.createIndex('audit_log_org_at').on('audit_log').columns(['org_id', 'at', 'id']).execute();
  };
}
