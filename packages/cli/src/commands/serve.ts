import { isAbsolute, resolve } from 'node:path';
import { CliError } from '../errors.js';
import { paint } from '../output/colors.js';

export interface ServeOptions {
  port?: number;
  host?: string;
  db?: string;
}

/** `--db` takes a URL as DATABASE_URL does, or a plain path to a SQLite file. */
export function toDatabaseUrl(db: string | undefined): string | undefined {
  if (db === undefined) return undefined;
  if (/^[a-z][a-z0-9+.-]*:/i.test(db) && !/^[a-z]:[\\/]/i.test(db)) return db;
  return `sqlite:${isAbsolute(db) ? db : resolve(db)}`;
}

async function loadServer(): Promise<typeof import('@llmlab/server')> {
  try {
    return await import('@llmlab/server');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ERR_MODULE_NOT_FOUND' && String((error as Error).message).includes('@llmlab/server')) {
      throw new CliError('llmlab serve needs the LLMLab server, which this install lacks; run it from a checkout of the LLMLab repository (npm ci && npm start).');
    }
    throw error;
  }
}

/** Runs the server and dashboard in this process until ctrl-c, as `npm start` does. */
export async function serve(options: ServeOptions): Promise<void> {
  const { startServer } = await loadServer();
  try {
    await startServer({ port: options.port, host: options.host, databaseUrl: toDatabaseUrl(options.db) });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') {
      throw new CliError(`Port ${options.port ?? 8787} is already in use; stop the other server or pick another port with --port.`);
    }
    if (code === 'EACCES') {
      throw new CliError(`Not allowed to listen on port ${options.port ?? 8787}; pick a port above 1024 with --port.`);
    }
    throw error;
  }
  process.stderr.write(paint().dim('Press ctrl-c to stop.\n'));
}
