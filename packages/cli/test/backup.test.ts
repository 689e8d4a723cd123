import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { clientRuns, type ServerProcess, signupUser, startServerProcess, startTrackLoad, withSqliteFile } from '@llmlab/server/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { removeDir, runCli, tempDir } from './helpers.js';

const dirs: string[] = [];
const servers: ServerProcess[] = [];

afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  for (const dir of dirs) removeDir(dir);
});

function freshDir(): string {
  const dir = tempDir('llmlab-backup-');
  dirs.push(dir);
  return dir;
}

async function server(env: Record<string, string> = {}): Promise<ServerProcess> {
  const started = await startServerProcess({ env });
  servers.push(started);
  return started;
}

async function get<T>(baseUrl: string, path: string, token: string): Promise<T> {
  const res = await fetch(`${baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
  if (!res.ok) throw new Error(`${path} ${res.status}: ${await res.text()}`);
  return (await res.json()) as T;
}

describe('llmlab backup and restore on SQLite', () => {
  it('backs up while the server ingests, and the restored database holds every event acknowledged before the backup', async () => {
    const live = await server();
    const database = join(live.dataDir, 'llmlab.db');
    const user = await signupUser(live.baseUrl);
    const tracking = startTrackLoad(live.baseUrl, user.apiKey, 4);
    await tracking.reached(200);
    const before = tracking.snapshot();
    const dir = freshDir();
    const out = join(dir, 'llmlab-backup.db');
    const backup = await runCli(['backup', '--out', out, '--db', database]);
    const after = tracking.snapshot();
    const { sent } = await tracking.stop();
    expect(backup.stderr).toBe('');
    expect(backup.code).toBe(0);
    // The premise: the server kept acknowledging events while `llmlab backup` ran.
    expect(after.size).toBeGreaterThan(before.size);
    const [, counted] = /, ([\d,]+) events, schema \d{3}-[a-z0-9-]+, in [\d.]+ m?s\.\n/.exec(backup.stdout) ?? [];
    expect(backup.stdout).toContain(`✔ Backed up ${database} to ${out}: `);
    await live.stop();

    expect(withSqliteFile(out, (db) => db.pragma('integrity_check', { simple: true }))).toBe('ok');
    expect(readdirSync(dir)).toEqual(['llmlab-backup.db']);

    const restoredFile = join(dir, 'restored', 'llmlab.db');
    const restore = await runCli(['restore', out, '--db', restoredFile]);
    expect(restore.stderr).toBe('');
    expect(restore.code).toBe(0);
    expect(restore.stdout).toContain(`✔ Restored ${out} to ${restoredFile}: `);
    const restored = await server({ DATABASE_URL: `sqlite:${restoredFile}` });
    const events = await get<{ event_id: string }[]>(restored.baseUrl, '/api/export?format=json', user.apiKey);
    const present = events.map((e) => e.event_id);

    expect([...before].filter((id) => !present.includes(id))).toEqual([]);
    expect(present.filter((id) => !sent.has(id))).toEqual([]);
    expect(new Set(present).size).toBe(present.length);
    expect(Number(counted.replaceAll(',', ''))).toBe(present.length);
    // A snapshot as of one commit: of each client, its events from the first up to some number.
    for (const [client, numbers] of Object.entries(clientRuns(present))) {
      expect(numbers, client).toEqual(numbers.map((_, i) => i));
    }
    const check = await get<{ consistent: boolean; events_counted: number }>(restored.baseUrl, '/api/admin/rollup-check', user.token);
    expect(check).toMatchObject({ consistent: true, events_counted: present.length });
    const summary = await get<{ calls: number }>(restored.baseUrl, '/api/costs/summary', user.apiKey);
    expect(summary.calls).toBe(present.length);
  });

  it('refuses to restore over a database a server is using, and keeps the database it replaces', async () => {
    const live = await server();
    const database = join(live.dataDir, 'llmlab.db');
    const user = await signupUser(live.baseUrl);
    const dir = freshDir();
    const out = join(dir, 'b.db');
    expect((await runCli(['backup', '--out', out, '--db', database])).code).toBe(0);

    const busy = await runCli(['restore', out, '--db', database]);
    expect(busy.code).toBe(1);
    expect(busy.stderr).toBe(`Error: A server (or another process) is using ${database}; stop it, then restore.\n`);
    expect(readdirSync(live.dataDir).filter((f) => f.includes('before-restore'))).toEqual([]);
    expect((await fetch(`${live.baseUrl}/api/me`, { headers: { authorization: `Bearer ${user.token}` } })).status).toBe(200);

    // Stopped (killed, so its WAL is left un-checkpointed): the restore goes ahead and sets the old database aside.
    await live.kill();
    const done = await runCli(['restore', out, '--db', database]);
    expect(done.code).toBe(0);
    const aside = readdirSync(live.dataDir).filter((f) => f.startsWith('llmlab.db.before-restore-'));
    expect(aside).toHaveLength(1);
    expect(aside[0]).toMatch(/^llmlab\.db\.before-restore-\d{8}T\d{6}Z$/);
    expect(done.stdout).toContain(`The database that was there is kept as ${join(live.dataDir, aside[0])}`);
    expect(withSqliteFile(join(live.dataDir, aside[0]), (db) => db.prepare('select count(*) from users').pluck().get())).toBe(1);
    expect(existsSync(`${database}-wal`)).toBe(false);
  });

  it('backs up to an existing file only with --force', async () => {
    const live = await server();
    const database = join(live.dataDir, 'llmlab.db');
    const dir = freshDir();
    const out = join(dir, 'b.db');
    writeFileSync(out, 'an older backup');
    const refused = await runCli(['backup', '--out', out, '--db', database]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(`Error: ${out} already exists; pass --force to replace it.\n`);
    const forced = await runCli(['backup', '--out', out, '--db', database, '--force', '--json']);
    expect(forced.code).toBe(0);
    expect(JSON.parse(forced.stdout)).toMatchObject({ file: database, out, events: 0 });
    expect(withSqliteFile(out, (db) => db.pragma('journal_mode', { simple: true }))).toBe('delete');
  });

  it('says what is wrong with a file that is not a backup it can restore', async () => {
    const live = await server();
    const dir = freshDir();
    const good = join(dir, 'good.db');
    expect((await runCli(['backup', '--out', good, '--db', join(live.dataDir, 'llmlab.db')])).code).toBe(0);
    const target = join(dir, 'target', 'llmlab.db');
    const restore = (file: string) => runCli(['restore', file, '--db', target]);

    const missing = await restore(join(dir, 'nope.db'));
    expect([missing.code, missing.stderr]).toEqual([1, `Error: No backup at ${join(dir, 'nope.db')}.\n`]);

    const text = join(dir, 'notes.txt');
    writeFileSync(text, 'not a database at all');
    expect((await restore(text)).stderr).toBe(`Error: The file ${text} is not a SQLite database.\n`);

    const other = join(dir, 'other.db');
    writeFileSync(other, '');
    withSqliteFile(other, (db) => db.exec('create table notes (body text)'));
    expect((await restore(other)).stderr).toBe(`Error: The file ${other} is a SQLite database but not an LLMLab one (it has no llmlab_migrations or events table).\n`);

    const newer = join(dir, 'newer.db');
    expect((await runCli(['backup', '--out', newer, '--db', good])).code).toBe(0);
    withSqliteFile(newer, (db) => db.prepare('insert into llmlab_migrations (name, timestamp) values (?, ?)').run('999-from-the-future', new Date().toISOString()));
    const refused = await restore(newer);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(
      `Error: The backup ${newer} was written by a newer LLMLab (its schema has 999-from-the-future, which this version does not know); upgrade LLMLab, then restore it.\n`,
    );

    const torn = join(dir, 'torn.db');
    writeFileSync(torn, Buffer.concat([Buffer.from('SQLite format 3\u0000', 'latin1'), Buffer.alloc(8192, 7)]));
    expect((await restore(torn)).stderr).toMatch(new RegExp(`^Error: The file ${torn} is damaged: `));

    // Nothing was put in place by a refused restore, nor left behind.
    expect(readdirSync(join(dir, 'target'))).toEqual([]);
    expect((await restore(good)).code).toBe(0);
    expect(readdirSync(join(dir, 'target'))).toEqual(['llmlab.db']);
  });

  it('points a PostgreSQL user at pg_dump, with exit code 2', async () => {
    const backup = await runCli(['backup', '--out', 'x.db'], { env: { DATABASE_URL: 'postgres://llmlab@127.0.0.1:5432/llmlab' } });
    expect(backup.code).toBe(2);
    expect(backup.stderr).toBe(
      "Error: llmlab backup works on a SQLite database; this one is PostgreSQL: use pg_dump (or your provider's point-in-time recovery), as docs/operations.md shows.\n",
    );
    const restore = await runCli(['restore', 'x.dump', '--db', 'postgres://llmlab@127.0.0.1:5432/llmlab']);
    expect(restore.code).toBe(2);
    expect(restore.stderr).toContain('use pg_restore');
  });
});
