import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { requireTool } from '@llmlab/server/testing';

const exec = promisify(execFile);

/**
 * A command running in a detached tmux session, which gives it a real pseudo-terminal: the
 * test types keys into it and reads the screen back.
 */
export class TmuxSession {
  private readonly socket = `llmlab-cli-test-${process.pid}-${Math.random().toString(36).slice(2)}`;
  private readonly name = 'cli';
  private readonly dir = mkdtempSync(join(tmpdir(), 'llmlab-tmux-'));
  private readonly statusFile = join(this.dir, 'status');

  private tmux(...args: string[]) {
    return exec('tmux', ['-L', this.socket, ...args]);
  }

  /**
   * Starts `command` (argv) with `env` in an 120x40 terminal. A shell around it writes its exit
   * status to a file; `remain-on-exit`, set before the command starts, keeps the last screen.
   */
  async start(command: string[], env: Record<string, string>): Promise<void> {
    requireTool('tmux');
    const envArgs = Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
    const conf = join(this.dir, 'tmux.conf');
    writeFileSync(conf, 'set-option -g remain-on-exit on\n');
    // The shell traps ctrl-c (children still get the default) so that it outlives the command.
    const script = `trap : INT; "$@"; echo $? > ${this.statusFile}`;
    await this.tmux('-f', conf, 'new-session', '-d', '-s', this.name, '-x', '120', '-y', '40', ...envArgs, 'sh', '-c', script, 'sh', ...command);
  }

  /** The screen's text; with `escapes`, its colors too as the escape codes that drew them. */
  async screen(escapes = false): Promise<string> {
    const { stdout } = await this.tmux('capture-pane', '-p', ...(escapes ? ['-e'] : []), '-t', this.name);
    return stdout;
  }

  /** Waits until the screen shows `text`; fails with the screen when it does not in time. */
  async waitFor(text: string | RegExp, timeoutMs = 15_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    let screen = '';
    while (Date.now() < deadline) {
      screen = await this.screen();
      if (typeof text === 'string' ? screen.includes(text) : text.test(screen)) return screen;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`the terminal never showed ${String(text)}; it shows:\n${screen}`);
  }

  /** Types text literally. */
  async type(text: string): Promise<void> {
    await this.tmux('send-keys', '-t', this.name, '-l', text);
  }

  /** Presses named keys: Enter, Down, BSpace, C-c. */
  async press(...keys: string[]): Promise<void> {
    await this.tmux('send-keys', '-t', this.name, ...keys);
  }

  /** The exit status of the command once it has ended (128 + n when killed by signal n). */
  async exitStatus(timeoutMs = 15_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const text = existsSync(this.statusFile) ? readFileSync(this.statusFile, 'utf8') : '';
      if (text.endsWith('\n')) return Number(text.trim());
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`the command did not exit; the terminal shows:\n${await this.screen()}`);
  }

  async close(): Promise<void> {
    await this.tmux('kill-server').catch(() => undefined);
    rmSync(this.dir, { recursive: true, force: true });
  }
}
