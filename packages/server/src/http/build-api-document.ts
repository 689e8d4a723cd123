import { apiDocument, createApp } from '../app.js';
import { loadConfig } from '../config/config.js';
import { createLogger } from '../context.js';
import { openDatabase } from '../db/database.js';

/**
 * The OpenAPI document without a running server, for the docs script and the contract tests.
 * Building the routes touches no table, so an empty in-memory database serves.
 */
export async function buildApiDocument(): Promise<ReturnType<typeof apiDocument>> {
  const db = openDatabase('sqlite::memory:');
  try {
    const config = loadConfig({}, { databaseUrl: 'sqlite::memory:', secret: 'the-api-document-signs-nothing-at-all' });
    return apiDocument(createApp({ db, config, now: () => Date.now(), log: createLogger('silent') }));
  } finally {
    await db.close();
  }
}
