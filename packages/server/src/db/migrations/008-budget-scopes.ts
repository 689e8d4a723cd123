import type { Kysely } from 'kysely';

/**
 * Budgets per end user, per API key and per tag, and template budgets (`per`: one budget of the
 * amount for every value). Their spend is read from raw events of the current period, so two
 * indexes serve the per-customer and per-key sums the proxy reads before each call; a
 * reservation names the value it holds budget for.
 */
export function up008() {
  return async (db: Kysely<unknown>): Promise<void> => {
    await db.schema.alterTable('budgets').addColumn('scope_end_user', 'text').execute();
    await db.schema.alterTable('budgets').addColumn('scope_api_key_id', 'text').execute();
    await db.schema.alterTable('budgets').addColumn('scope_tags', 'text').execute();
    await db.schema.alterTable('budgets').addColumn('per', 'text').execute();
    await db.schema.alterTable('budget_reservations').addColumn('scope_value', 'text', (c) => c.notNull().defaultTo('')).execute();
    await db.schema.createIndex('events_project_user_ts').on('events').columns(['project_id', 'end_user', 'ts']).execute();
    await db.schema.createIndex('events_project_key_ts').on('events').columns(['project_id', 'api_key_id', 'ts']).execute();
  };
}
