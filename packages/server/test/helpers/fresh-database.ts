import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export interface FreshDatabase {
  url: string;
  drop(): Promise<void>;
}

/**
 * An empty database no migration has touched: a new SQLite file, or a new database on the
 * PostgreSQL cluster of `pgUrl` (whose user may create databases, as the test cluster's owner can).
 */
let made = 0;

export async function freshDatabase(pgUrl: string | undefined): Promise<FreshDatabase> {
  if (!pgUrl) {
    const dir = mkdtempSync(join(tmpdir(), 'llmlab-fresh-'));
    return { url: `sqlite:${join(dir, 'llmlab.db')}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const name = `llmlab_fresh_${process.pid}_${Date.now()}_${++made}`;
  await onCluster(pgUrl, `create database ${name}`);
  const url = new URL(pgUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => onCluster(pgUrl, `drop database if exists ${name} with (force)`) };
}

async function onCluster(pgUrl: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: pgUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
