import { CliError } from './errors.js';

/**
 * Loads a part of the LLMLab server for a command that runs it here (`serve`, `backup`, `restore`).
 * The server is the @llmlab/server package, a dependency of the CLI: bundled JavaScript when
 * installed; in a checkout its TypeScript sources, which the CLI loads through tsx (registered
 * before the first import: Node caches a failed one). An install without it says so.
 */
export async function loadServerPart<T>(command: string, specifier: '@llmlab/server' | '@llmlab/server/backups', load: () => Promise<T>): Promise<T> {
  let entry: string;
  try {
    entry = import.meta.resolve(specifier);
  } catch {
    throw new CliError(`llmlab ${command} needs the @llmlab/server package, which this install lacks; install it beside the CLI (npm i @llmlab/server, or its tarball from npm run package).`);
  }
  if (entry.endsWith('.ts')) {
    const { register } = await import('tsx/esm/api');
    register();
  }
  return load();
}
