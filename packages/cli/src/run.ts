import { CommanderError } from 'commander';
import { CliError, EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from './errors.js';
import { paintStderr } from './output/colors.js';
import { buildProgram } from './program.js';

/** Commander outcomes that are not errors: help and version were asked for. */
const CLEAN_EXITS = new Set(['commander.helpDisplayed', 'commander.version', 'commander.help']);

/**
 * Runs `llmlab` with the given argv and answers the exit code: 0 ok, 1 failure, 2 usage error.
 * Known failures print one sentence to stderr; only a bug prints a stack trace.
 */
export async function runCli(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT_OK;
  } catch (error) {
    return reportFailure(error);
  }
}

function reportFailure(error: unknown): number {
  if (error instanceof CommanderError) {
    // Commander has already printed its message.
    if (CLEAN_EXITS.has(error.code)) return error.code === 'commander.help' && error.exitCode !== 0 ? EXIT_USAGE : EXIT_OK;
    return EXIT_USAGE;
  }
  const c = paintStderr();
  if (error instanceof CliError) {
    if (error.message) process.stderr.write(`${c.red('Error:')} ${error.message}\n`);
    return error.exitCode;
  }
  process.stderr.write(`${c.red('Unexpected error')} (a bug in llmlab; please report it):\n`);
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  return EXIT_FAILURE;
}
