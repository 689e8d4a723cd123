import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from './helpers.js';

const run = promisify(execFile);
let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.stop());

/** Runs a fixture script in its own Node process, configured through the environment like an app. */
async function runFixture(name: string): Promise<string> {
  const fixture = fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
  const { stdout } = await run(process.execPath, ['--import', 'tsx', fixture], {
    env: { ...process.env, LLMLAB_API_KEY: stack.user.apiKey, LLMLAB_BASE_URL: stack.server.baseUrl },
    timeout: 30_000,
  });
  return stdout;
}

describe('in an app process', () => {
  it('@trackCost tags every call made inside the decorated method', async () => {
    const stdout = await runFixture('decorated-method.ts');
    const { id, delivered } = JSON.parse(stdout) as { id: string; delivered: boolean };
    expect(delivered).toBe(true);
    const [event] = await stack.events({ feature: 'decorated' });
    expect(event).toMatchObject({ event_id: id, user_id: 'cust-9', tags: { via: 'decorator' }, input_tokens: 9 });
  });

  it('delivers what is queued when the process ends without shutdown()', async () => {
    const id = await runFixture('exit-without-shutdown.ts');
    const [event] = await stack.events({ feature: 'exit-flush' });
    expect(event).toMatchObject({ event_id: id, cost_nanos: 60_000_000, source: 'sdk' });
  });
});
