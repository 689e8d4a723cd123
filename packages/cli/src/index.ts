export { runCli } from './run.js';
export { buildProgram } from './program.js';
export { CliError, EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from './errors.js';
