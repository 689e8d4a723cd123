import type { Kysely } from 'kysely';
import type { DialectName } from '../dialect.js';

/** A project's Azure OpenAI resource, where /proxy/azure/ forwards its calls (null: LLMLAB_AZURE_BASE_URL). */
export function up012(_dialect: DialectName) {
  return async (db: Kysely<unknown>): Promise<void> => {
    await db.schema.alterTable('gateway_settings').addColumn('azure_endpoint', 'text').execute();
  };
}
