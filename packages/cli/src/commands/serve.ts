import { isAbsolute, resolve } from 'node:path';
import { CliError } from '../errors.js';
import { loadServerPart } from '../load-server.js';
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

/** Runs the server and dashboard in this process until ctrl-c, as `npm start` does. */
export async function serve(options: ServeOptions): Promise<void> {
  const { startServer } = await loadServerPart('serve', '@llmlab/server', () => import('@llmlab/server'));
  let running: Awaited<ReturnType<typeof startServer>>;
  try {
    // Only the flags given: an absent one leaves the server's own default (or PORT, HOST, DATABASE_URL).
    const databaseUrl = toDatabaseUrl(options.db);
    running = await startServer({
      ...(options.port !== undefined ? { port: options.port } : {}),
      ...(options.host !== undefined ? { host: options.host } : {}),
      ...(databaseUrl !== undefined ? { databaseUrl } : {}),
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const port = options.port ?? 8787;
    if (code === 'EADDRINUSE') {
      throw new CliError(`Port ${port} is already in use; stop the other server or pick another port with --port.`);
    }
    if (code === 'EACCES') throw new CliError(`Not allowed to listen on port ${port}; pick a port above 1024 with --port.`);
    throw new CliError(`The server could not start: ${(error as Error).message}`);
  }
  const c = paint();
  process.stdout.write(`${c.green('✔')} LLMLab is running at ${c.bold(running.url)} (dashboard and API). Press ctrl-c to stop.\n`);
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      running.close().then(resolve, resolve);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
