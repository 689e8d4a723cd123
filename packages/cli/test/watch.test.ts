import { spawn } from 'node:child_process';
import { signupUser, startServerProcess } from '@llmlab/server/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ANSI, BIN, adminKey, cliEnv, cliUser } from './helpers.js';
import { TmuxSession } from './tmux.js';

let server: Awaited<ReturnType<typeof startServerProcess>>;
let session: TmuxSession | undefined;

beforeAll(async () => {
  server = await startServerProcess();
});

afterEach(async () => {
  await session?.close();
  session = undefined;
});

afterAll(async () => {
  await server?.stop();
});

async function userWithSpend() {
  const account = await signupUser(server.baseUrl);
  const user = cliUser(server.baseUrl, await adminKey(server.baseUrl, account.token));
  for (let i = 0; i < 2; i++) {
    await user.run(['track', '--provider', 'openai', '--model', 'gpt-4', '--input-tokens', '1000', '--output-tokens', '500']);
  }
  return user;
}

describe('llmlab watch', () => {
  it('renders one frame with the totals, the budget and a chart of the last days (--once)', async () => {
    const user = await userWithSpend();
    await user.run(['budget', '--amount', '1']);
    const { code, stdout } = await user.run(['watch', '--once', '--days', '7', '--tz', 'UTC']);
    expect(code).toBe(0);
    expect(stdout).not.toMatch(ANSI);
    expect(stdout).toMatch(/Today \$0\.12\s+This Month \$0\.12\s+Last 7 days \$0\.12\s+2 calls/);
    expect(stdout).toMatch(/Budget\s+\$0\.12 of \$1\.00 monthly\s+12\.0%/);
    const chart = stdout.split('\n').filter((line) => line.includes('│'));
    expect(chart).toHaveLength(6);
    // The top row carries the y axis maximum; only today's column (the last) is filled.
    expect(chart[0]).toMatch(/^\$0\.12 │/);
    const bars = chart.map((line) => line.slice(line.indexOf('│') + 1));
    for (const bar of bars) expect(bar).toMatch(/^( {3}){6}██ $/);
    const today = new Date().toLocaleDateString('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' });
    expect(stdout).toMatch(new RegExp(`${today}\\n`));
    expect(stdout).toMatch(/Top models\n\s+openai\/gpt-4\s+\$0\.12/);
  });

  it('keeps refreshing through a pipe and exits 0 on SIGINT', async () => {
    const user = await userWithSpend();
    const child = spawn(process.execPath, [BIN, 'watch', '--interval', '1', '--json'], { env: cliEnv(user.configDir, user.env) });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    const deadline = Date.now() + 20_000;
    while (stdout.split('\n').filter(Boolean).length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const frames = stdout.trim().split('\n').map((line) => JSON.parse(line));
    expect(frames.length).toBeGreaterThanOrEqual(2);
    expect(frames.every((f) => f.total_spend === 0.12)).toBe(true);
    const exit = new Promise<number | null>((resolve) => child.on('close', resolve));
    child.kill('SIGINT');
    expect(await exit).toBe(0);
    expect(stderr).toBe('');
  });

  it('redraws in place on a terminal and ctrl-c leaves it cleanly', async () => {
    const user = await userWithSpend();
    session = new TmuxSession();
    await session.start([process.execPath, BIN, 'watch', '--interval', '1'], { ...user.env, LLMLAB_CONFIG_DIR: user.configDir, TERM: 'xterm-256color' });
    const screen = await session.waitFor('ctrl-c to exit');
    expect(screen).toMatch(/^LLMLab · live spend/);
    expect(screen).toContain('Today $0.12');
    await session.press('C-c');
    expect(await session.exitStatus()).toBe(0);
  });
});
