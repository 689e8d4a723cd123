import type { Kysely, Migration, MigrationProvider } from 'kysely';
import type { DialectName } from '../dialect.js';
import { up001 } from './001-initial.js';
import { up002 } from './002-gateway.js';
import { up003 } from './003-alerts.js';
import { up004 } from './004-otlp-call-spans.js';
import { up005 } from './005-event-api-key.js';
import { up006 } from './006-api-key-creator.js';
import { up007 } from './007-teams.js';
import { up008 } from './008-budget-scopes.js';
import { up009 } from './009-rate-limits.js';
import { up010 } from './010-response-cache.js';
import { up011 } from './011-key-limits.js';
import { up012 } from './012-azure-endpoint.js';
import { up013 } from './013-retention.js';
import { up014 } from './014-billing.js';
import { up015 } from './015-sessions.js';
import { up016 } from './016-service-tier.js';

/**
 * Numbered migrations, applied on start by Kysely's Migrator (which takes a lock on PostgreSQL,
 * so several instances starting together migrate once). Add a file and a line here.
 */
type MigrationFactory = (dialect: DialectName) => (db: Kysely<unknown>) => Promise<void>;

const migrations: Record<string, MigrationFactory> = {
  '001-initial': up001,
  '002-gateway': up002,
  '003-alerts': up003,
  '004-otlp-call-spans': up004,
  '005-event-api-key': up005,
  '006-api-key-creator': up006,
  '007-teams': up007,
  '008-budget-scopes': up008,
  '009-rate-limits': up009,
  '010-response-cache': up010,
  '011-key-limits': up011,
  '012-azure-endpoint': up012,
  '013-retention': up013,
  '014-billing': up014,
  '015-sessions': up015,
  '016-service-tier': up016,
};

export function migrationProvider(dialect: DialectName): MigrationProvider {
  return {
    async getMigrations(): Promise<Record<string, Migration>> {
      return Object.fromEntries(Object.entries(migrations).map(([name, factory]) => [name, { up: factory(dialect) }]));
    },
  };
}
