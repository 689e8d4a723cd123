import { startServer } from './server.js';

try {
  const server = await startServer();
  process.stdout.write(`LLMLab is running at ${server.url}\n`);
  const shutdown = async () => {
    await server.close();
    process.exit(0);
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
} catch (err) {
  process.stderr.write(`LLMLab could not start: ${(err as Error).message}\n`);
  process.exit(1);
}
