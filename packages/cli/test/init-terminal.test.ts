import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { signupUser, startServerProcess } from '@llmlab/server/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BIN, tempDir } from './helpers.js';
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

async function startInit(configDir: string): Promise<TmuxSession> {
  session = new TmuxSession();
  await session.start([process.execPath, BIN, 'init'], { LLMLAB_CONFIG_DIR: configDir, TERM: 'xterm-256color' });
  return session;
}

/** Replaces the prefilled server URL (the default) with the test server's. */
async function answerServerUrl(tty: TmuxSession): Promise<void> {
  const screen = await tty.waitFor('LLMLab server URL');
  expect(screen).toContain('http://127.0.0.1:8787');
  await tty.press(...Array.from({ length: 'http://127.0.0.1:8787'.length }, () => 'BSpace'));
  await tty.type(server.baseUrl);
  await tty.press('Enter');
}

describe('llmlab init in a terminal', () => {
  it('asks for the server and a key, checks it, and saves it', async () => {
    const account = await signupUser(server.baseUrl);
    const configDir = tempDir();
    const tty = await startInit(configDir);
    await answerServerUrl(tty);
    await tty.waitFor('How do you want to connect?');
    await tty.press('Enter');
    await tty.waitFor('API key');
    await tty.type(account.apiKey);
    await tty.press('Enter');
    const screen = await tty.waitFor('Saved to');
    expect(screen).toContain(`Connected to ${server.baseUrl}: project`);
    expect(screen).not.toContain(account.apiKey);
    expect(await tty.exitStatus()).toBe(0);
    const path = join(configDir, 'config.json');
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ base_url: server.baseUrl, api_key: account.apiKey });
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('signs up from the prompts and saves a new key', async () => {
    const configDir = tempDir();
    const tty = await startInit(configDir);
    await answerServerUrl(tty);
    await tty.waitFor('How do you want to connect?');
    await tty.press('Down', 'Down', 'Enter');
    await tty.waitFor('Email');
    await tty.type(`tty-${Date.now()}@example.com`);
    await tty.press('Enter');
    await tty.waitFor('Password');
    await tty.type('a long enough password');
    await tty.press('Enter');
    await tty.waitFor('Saved to');
    expect(await tty.exitStatus()).toBe(0);
    expect(JSON.parse(readFileSync(join(configDir, 'config.json'), 'utf8')).api_key).toMatch(/^llmlab_/);
  });

  it('says what went wrong and saves nothing when the key is rejected', async () => {
    const configDir = tempDir();
    const tty = await startInit(configDir);
    await answerServerUrl(tty);
    await tty.waitFor('How do you want to connect?');
    await tty.press('Enter');
    await tty.waitFor('API key');
    await tty.type('llmlab_thisisnotavalidkeyatall');
    await tty.press('Enter');
    const screen = await tty.waitFor('rejected the API key');
    expect(screen).not.toMatch(/\n\s+at /);
    expect(await tty.exitStatus()).toBe(1);
    expect(() => statSync(join(configDir, 'config.json'))).toThrow();
  });

  it('exits 1 without saving on ctrl-c', async () => {
    const configDir = tempDir();
    const tty = await startInit(configDir);
    await tty.waitFor('LLMLab server URL');
    await tty.press('C-c');
    await tty.waitFor('Cancelled; nothing was saved.');
    expect(await tty.exitStatus()).toBe(1);
  });
});
