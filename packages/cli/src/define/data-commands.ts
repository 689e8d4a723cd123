import type { Command } from 'commander';
import { examples } from './read-commands.js';

const dbOption = ['--db <url-or-path>', 'the database: a SQLite file path or a sqlite: URL (default: DATABASE_URL, else ./.llmlab/llmlab.db)'] as const;

export function defineBackup(program: Command): void {
  program
    .command('backup')
    .description("copy the server's SQLite database to a file while the server keeps running (PostgreSQL: pg_dump)")
    .requiredOption('--out <file>', 'the backup file to write')
    .option(...dbOption)
    .option('--force', 'replace --out if it exists')
    .option('--json', 'print the result as JSON')
    .addHelpText(
      'after',
      examples('llmlab backup --out backups/llmlab-$(date +%F).db', 'llmlab backup --db /var/lib/llmlab/llmlab.db --out /mnt/backup/llmlab.db --force'),
    )
    .action(async (opts) => (await import('../commands/backup.js')).backupDatabase(opts));
}

export function defineRestore(program: Command): void {
  program
    .command('restore')
    .description('put a backup in place as the SQLite database, the server stopped; the database there is kept aside')
    .argument('<file>', 'a backup made by `llmlab backup` (or any SQLite backup of an LLMLab database)')
    .option(...dbOption)
    .option('--json', 'print the result as JSON')
    .addHelpText('after', examples('llmlab restore backups/llmlab-2026-11-27.db', 'llmlab restore /mnt/backup/llmlab.db --db /var/lib/llmlab/llmlab.db'))
    .action(async (file, opts) => (await import('../commands/backup.js')).restoreDatabase(file, opts));
}
