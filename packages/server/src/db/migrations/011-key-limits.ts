import type { Kysely } from 'kysely';
import { type DialectName, dialectTypes } from '../dialect.js';

/**
 * Keys with limits ("virtual keys"): the models and providers a key may call through the proxy,
 * when it stops working, and labels its owner gives it. Its budget is an ordinary budget scoped
 * to the key, its rate limit an ordinary rate limit.
 */
export function up011(dialect: DialectName) {
  const t = dialectTypes(dialect);
  return async (db: Kysely<unknown>): Promise<void> => {
    await db.schema.alterTable('api_keys').addColumn('allowed_models', 'text').execute();
    await db.schema.alterTable('api_keys').addColumn('allowed_providers', 'text').execute();
    await db.schema.alterTable('api_keys').addColumn('expires_at', t.bigint).execute();
    await db.schema.alterTable('api_keys').addColumn('metadata', 'text').execute();
  };
}
