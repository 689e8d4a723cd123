import { describe, expect, it } from 'vitest';
import { uuidv7 } from 'uuidv7';
import { createMigrator, type Db, migrateToLatest, migrationNames, openDatabase } from '../../src/db/database.js';
import { databases } from '../helpers/databases.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { FIXTURES } from './fixtures/index.js';
import { freshDatabase } from '../helpers/fresh-database.js';
import { type Check, type LooseDb, NOW, read, sumEvents, type World } from './world.js';

/**
 * Databases written release by release, from the schema of the first (migration 001) on: each
 * migration applied in turn and followed by the rows its release wrote, up to some release. Then
 * today's server opens it and applies the migrations after that one, and every total, key,
 * budget and setting written by any release reads as it was written.
 */
const MIGRATIONS = await migrationNames();

it('has a fixture for every migration, and none for a migration that does not exist', () => {
  expect(Object.keys(FIXTURES)).toEqual(MIGRATIONS);
});

describe.each(databases())('upgrades on $name', (database) => {
  it.each(MIGRATIONS)('opens a database written up to the release of %s, keeping all it holds', async (last) => {
    const fresh = await freshDatabase(database.url);
    let app: TestApp | undefined;
    try {
      const { world, checks } = await writeReleases(fresh.url, MIGRATIONS.slice(0, MIGRATIONS.indexOf(last) + 1));
      app = await createTestApp(fresh.url);
      app.setNow(NOW);
      const { applied } = await app.ctx.db.kysely.withTables<{ llmlab_migrations: { name: string } }>().selectFrom('llmlab_migrations').select((eb) => eb.fn.countAll<number>().as('applied')).executeTakeFirstOrThrow();
      expect(Number(applied)).toBe(MIGRATIONS.length);
      // The checks read rows back through the server's own connection.
      world.db = app.ctx.db.kysely as unknown as LooseDb;
      await expectTotals(app, world);
      for (const [name, check] of checks) {
        await check(app, world).catch((error: Error) => {
          error.message = `rows of ${name}: ${error.message}`;
          throw error;
        });
      }
    } finally {
      await app?.close();
      await fresh.drop();
    }
  });

  it('refuses a database a newer LLMLab migrated, saying what to do (downgrades are not supported)', async () => {
    const fresh = await freshDatabase(database.url);
    try {
      const db = openDatabase(fresh.url, { eventThread: false, poolSize: 2 });
      try {
        await migrateToLatest(db);
        await db.kysely
          .withTables<{ llmlab_migrations: { name: string; timestamp: string } }>()
          .insertInto('llmlab_migrations')
          .values({ name: '999-from-the-future', timestamp: new Date(NOW).toISOString() })
          .execute();
      } finally {
        await db.close();
      }
      const today = openDatabase(fresh.url, { eventThread: false, poolSize: 2 });
      await expect(migrateToLatest(today).finally(() => today.close())).rejects.toThrow(
        'the database was migrated by a newer LLMLab (it has 999-from-the-future, which this version does not know): run that version, or restore the backup taken before the upgrade',
      );
    } finally {
      await fresh.drop();
    }
  });
});

/** Applies `migrations` one at a time, each followed by the rows of its release; answers the world they made and their checks. */
async function writeReleases(url: string, migrations: string[]): Promise<{ world: World; checks: [string, Check][] }> {
  const db = openDatabase(url, { eventThread: false, poolSize: 2 });
  try {
    const world = newWorld(db);
    const checks: [string, Check][] = [];
    for (const name of migrations) {
      const { error } = await createMigrator(db).migrateTo(name);
      if (error) throw error;
      world.applied.push(name);
      checks.push([name, await FIXTURES[name](world)]);
    }
    return { world, checks };
  } finally {
    await db.close();
  }
}

/** Each project's summary, export and rollups agree with the events written, to the nanodollar. */
async function expectTotals(app: TestApp, world: World): Promise<void> {
  for (const [project, token] of [['main', world.keys['Admin key'].key], ['batch', world.keys['Batch key'].key]] as const) {
    const projectId = world.projects[project];
    const expected = sumEvents(world.events, (e) => e.project_id === projectId);
    const summary = await read<Record<string, unknown>>(app, '/api/costs/summary?days=30&tz=UTC', token);
    expect(summary, project).toMatchObject({
      total_spend_nanos: expected.cost_nanos,
      calls: expected.calls,
      unpriced_calls: expected.unpriced_calls,
      tokens: { input: expected.input_tokens, output: expected.output_tokens, cached_input: expected.cached_input_tokens, reasoning: expected.reasoning_tokens },
      cache_hits: expected.cache_hits,
      cache_savings_nanos: expected.saved_nanos,
    });
    const exported = await read<{ event_id: string; cost_nanos: number | null }[]>(app, '/api/export?format=json', token);
    const stored = world.events.filter((e) => e.project_id === projectId);
    expect(exported.map((e) => [e.event_id, e.cost_nanos]).sort(), project).toEqual(stored.map((e) => [e.event_id, e.cost_nanos]).sort());
    const check = await read(app, '/api/admin/rollup-check', world.owner.sessionToken, { 'x-llmlab-project': projectId });
    expect(check, project).toMatchObject({ consistent: true, events_counted: expected.calls });
  }
  expect(world.events.filter((e) => e.cost_nanos === null).length, 'an unpriced event among them').toBeGreaterThan(0);
}

function newWorld(db: Db): World {
  return {
    db: db.kysely as unknown as LooseDb,
    applied: [],
    owner: { userId: uuidv7(), orgId: uuidv7(), email: 'owner@example.com', password: 'release one password', sessionToken: '' },
    projects: { main: uuidv7(), batch: uuidv7() },
    keys: {},
    budgets: {},
    events: [],
    overrides: [],
  };
}
