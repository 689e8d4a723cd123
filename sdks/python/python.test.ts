import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { requireTool, signupUser, startServerProcess } from '@llmlab/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

type ServerProcess = Awaited<ReturnType<typeof startServerProcess>>;

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
let server: ServerProcess;
let apiKey: string;

beforeAll(async () => {
  requireTool('python3');
  server = await startServerProcess();
  apiKey = (await signupUser(server.baseUrl)).apiKey;
});
afterAll(() => server?.stop());

function runPython(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('python3', args, { cwd: repoRoot, env });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

describe('Python SDK', () => {
  it('passes its unittest suite against the real server', async () => {
    const { code, output } = await runPython(['-m', 'unittest', 'discover', '-s', 'sdks/python/tests', '-v'], {
      ...process.env,
      LLMLAB_BASE_URL: server.baseUrl,
      LLMLAB_API_KEY: apiKey,
      PYTHONPATH: 'sdks/python',
      PYTHONDONTWRITEBYTECODE: '1',
    });
    if (code !== 0) expect.fail(`python3 -m unittest exited with ${code}:\n${output}`);
    expect(output).toMatch(/Ran \d+ tests/);
    expect(output).not.toMatch(/skipped/);
  });
});
