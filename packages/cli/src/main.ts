#!/usr/bin/env node
import { runCli } from './run.js';

// The reader of our output went away (`llmlab export | head`): stop quietly, like other tools.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

process.exitCode = await runCli(process.argv);
