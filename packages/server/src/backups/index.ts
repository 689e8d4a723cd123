/**
 * Backups of a SQLite database and their restore, for `llmlab backup` and `llmlab restore`: an
 * entry of its own, so the CLI loads them without the rest of the server.
 */
export { type BackupSummary, backupSqlite } from './backup-sqlite.js';
export { type DatabaseTarget, databaseTarget } from './database-target.js';
export { type RestoreSummary, restoreSqlite } from './restore-sqlite.js';
