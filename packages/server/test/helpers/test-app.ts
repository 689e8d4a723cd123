import { afterAll, beforeAll } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config/config.js';
import type { AppContext } from '../../src/context.js';
import { createLogger } from '../../src/context.js';
import { migrateToLatest, openDatabase } from '../../src/db/database.js';
import { checkAnswer } from './contract.js';

export interface TestApp {
  ctx: AppContext;
  /**
   * Sends a request to the app in-process (no socket); JSON bodies are serialised. The answer is
   * checked against /api/openapi.json: one the document does not describe fails the test.
   */
  request(path: string, init?: { method?: string; token?: string; body?: unknown; headers?: Record<string, string> }): Promise<Response>;
  /** Sets the clock every verb reads; null goes back to the real clock. */
  setNow(ms: number | null): void;
  close(): Promise<void>;
}

/** The app in-process on SQLite (a temp file) or on the PostgreSQL at `databaseUrl`. */
export async function createTestApp(databaseUrl?: string): Promise<TestApp> {
  const dir = mkdtempSync(join(tmpdir(), 'llmlab-test-'));
  const url = databaseUrl ?? `sqlite:${join(dir, 'test.db')}`;
  const config = loadConfig({}, { databaseUrl: url, dataDir: dir, secret: 'x'.repeat(32) });
  const db = openDatabase(url);
  await migrateToLatest(db);
  let now: number | null = null;
  const ctx: AppContext = { db, config, now: () => now ?? Date.now(), log: createLogger('error') };
  const app = createApp(ctx);
  return {
    ctx,
    setNow: (ms) => {
      now = ms;
    },
    request: (path, init = {}) => {
      const headers: Record<string, string> = { ...init.headers };
      if (init.token) headers.authorization = `Bearer ${init.token}`;
      let body: string | undefined;
      if (init.body !== undefined) {
        headers['content-type'] ??= 'application/json';
        body = typeof init.body === 'string' ? init.body : JSON.stringify(init.body);
      }
      const method = init.method ?? (body ? 'POST' : 'GET');
      return Promise.resolve(app.request(path, { method, headers, body })).then((res) => checkAnswer(method, path, res));
    },
    close: async () => {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A TestApp for one describe block: created before its tests (clock set to `now` when given),
 * closed after them.
 */
export function useTestApp(db: { url: string | undefined }, now?: number): TestApp {
  let app: TestApp | undefined;
  beforeAll(async () => {
    app = await createTestApp(db.url);
    if (now !== undefined) app.setNow(now);
  });
  afterAll(() => app?.close());
  const current = (): TestApp => {
    if (!app) throw new Error('the test app is not open: use it inside a test');
    return app;
  };
  return {
    get ctx() {
      return current().ctx;
    },
    request: (path, init) => current().request(path, init),
    setNow: (ms) => current().setNow(ms),
    close: () => current().close(),
  };
}
