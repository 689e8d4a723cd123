import type { Kysely } from 'kysely';

/**
 * The user who created each API key (null for keys made before this migration, or by an admin
 * key whose own creator is unknown), so spend per key can name who it belongs to.
 */
export function up006() {
  return async (db: Kysely<unknown>): Promise<void> => {
    await db.schema.alterTable('api_keys').addColumn('created_by', 'text').execute();
  };
}
