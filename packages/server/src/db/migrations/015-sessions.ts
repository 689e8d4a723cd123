import { type Kysely, sql } from 'kysely';

/**
 * Sessions: the conversation or agent run an event belongs to (`session_id`, null for a call
 * sent without one). A session's calls are read in order by one range of this index. It is
 * partial (only events with a session), so on an upgraded database, where no stored event has
 * one yet, building it reads the events table once but writes next to nothing. On PostgreSQL
 * the build holds a lock that blocks event writes while it reads the table (seconds per
 * few million events); adding the nullable column is instant on both databases.
 */
export function up015() {
  return async (db: Kysely<unknown>): Promise<void> => {
    await db.schema.alterTable('events').addColumn('session_id', 'text').execute();
    await db.schema
      .createIndex('events_project_session_ts')
      .on('events')
      .columns(['project_id', 'session_id', 'ts', 'id'])
      .where(sql.ref('session_id'), 'is not', null)
      .execute();
  };
}
