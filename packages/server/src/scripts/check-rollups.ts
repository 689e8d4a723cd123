/**
 * `npm run check:rollups -- [--database-url URL] [--project ID] [--repair] [--json]`
 * Recomputes the hourly rollups from the raw events and prints every difference.
 * Exit code: 0 when consistent (or repaired), 1 when differences remain, 2 on an error.
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config/config.js';
import { openDatabase } from '../db/database.js';
import { checkRollups, type RollupCheck } from '../usage/check-rollups.js';

const USAGE = 'usage: npm run check:rollups -- [--database-url sqlite:FILE|postgres://...] [--project ID] [--repair] [--json]';

function describe(check: RollupCheck, scope: string): string {
  const lines = [`checked ${check.keys_checked} rollup rows against ${check.events_counted} events of ${scope}`];
  for (const d of check.differences) {
    const k = d.key;
    lines.push(`  ${k.project_id} ${new Date(k.hour).toISOString()} ${k.provider}/${k.model} feature=${k.feature || '(none)'} tier=${k.service_tier} ${d.field}: stored ${d.stored}, recomputed ${d.recomputed}`);
  }
  lines.push(check.differences.length === 0 ? 'rollups match the events' : `${check.differences.length} difference(s)${check.repaired ? '; rollups rewritten from the events' : ''}`);
  return lines.join('\n');
}

async function main(): Promise<number> {
  let args: { 'database-url'?: string; project?: string; repair?: boolean; json?: boolean; help?: boolean };
  try {
    args = parseArgs({
      options: { 'database-url': { type: 'string' }, project: { type: 'string' }, repair: { type: 'boolean' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    }).values;
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  // The check signs nothing, so a placeholder secret keeps loadConfig from creating a secret file.
  const url = args['database-url'] ?? loadConfig(undefined, { secret: 'unused by the rollup check' }).databaseUrl;
  // Opening a missing SQLite file would create an empty database: say what is wrong instead.
  if (url.startsWith('sqlite:') && !existsSync(url.slice('sqlite:'.length))) {
    process.stderr.write(`no database at ${url.slice('sqlite:'.length)}\n${USAGE}\n`);
    return 2;
  }
  const db = openDatabase(url, { poolSize: 2 });
  try {
    const check = await checkRollups({ db, input: { projectId: args.project, repair: args.repair } });
    const scope = args.project ? `project ${args.project}` : 'every project';
    process.stdout.write(args.json ? `${JSON.stringify(check)}\n` : `${describe(check, scope)}\n`);
    return check.differences.length === 0 || check.repaired ? 0 : 1;
  } finally {
    await db.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`rollup check failed: ${(err as Error).message}\n`);
    process.exit(2);
  },
);
