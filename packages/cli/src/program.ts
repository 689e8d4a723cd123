import { Command } from 'commander';
import pkg from '../package.json' with { type: 'json' };
import { defineKeys, defineLimits } from './define/control-commands.js';
import { defineBackup, defineRestore } from './define/data-commands.js';
import { defineBilling, defineCompare, defineSessions, defineExport, defineForecast, defineOptimize, defineStatus, defineWatch, examples } from './define/read-commands.js';
import { defineAudit, defineMembers } from './define/team-commands.js';
import { defineBudget, defineConfig, defineInit, defineServe, defineTrack } from './define/write-commands.js';

/** The `llmlab` command tree. Actions import their modules when they run, to keep start-up fast. */
export function buildProgram(): Command {
  const program = new Command('llmlab')
    .description('Know and control what your LLM API calls cost.')
    .version(pkg.version, '-v, --version')
    .showHelpAfterError('(run the command with --help for usage)')
    .configureHelp({ sortSubcommands: false, showGlobalOptions: false })
    // An option after a subcommand is that subcommand's: `budget usage x --json` is usage's --json.
    .enablePositionalOptions()
    .addHelpText(
      'after',
      examples('llmlab init', 'llmlab status', 'llmlab budget --amount 100', 'llmlab export --format csv -o events.csv'),
    );
  const definitions = [defineInit, defineStatus, defineOptimize, defineBudget, defineExport, defineConfig, defineServe, defineWatch, defineForecast, defineCompare, defineSessions, defineBilling, defineTrack, defineMembers, defineAudit, defineKeys, defineLimits, defineBackup, defineRestore];
  for (const define of definitions) define(program);
  applyToAll(program, (command) => command.exitOverride());
  return program;
}

function applyToAll(command: Command, apply: (command: Command) => void): void {
  apply(command);
  for (const sub of command.commands) applyToAll(sub, apply);
}
