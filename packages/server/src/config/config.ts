import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** Every setting LLMLab reads from the environment; nothing else reads process.env. */
const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8787),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: z
    .string()
    .regex(/^(sqlite:|postgres:\/\/|postgresql:\/\/)/, 'DATABASE_URL must start with sqlite: or postgres://')
    .default('sqlite:./.llmlab/llmlab.db'),
  LLMLAB_SECRET: z.string().min(32, 'LLMLAB_SECRET must be at least 32 characters').optional(),
  LLMLAB_OPENAI_BASE_URL: z.url().default('https://api.openai.com'),
  LLMLAB_ANTHROPIC_BASE_URL: z.url().default('https://api.anthropic.com'),
  LLMLAB_WEBHOOK_ALLOW_PRIVATE: bool.default(false),
  LLMLAB_SECURE_COOKIES: bool.default(false),
  LLMLAB_LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  LLMLAB_WEB_DIST: z.string().optional(),
  LLMLAB_MAX_INFLIGHT: z.coerce.number().int().min(1).max(100_000).default(256),
  SMTP_HOST: z.string().optional(),
  SMTP_PORT: z.coerce.number().int().min(1).max(65535).default(587),
  SMTP_SECURE: bool.default(false),
  SMTP_USER: z.string().optional(),
  SMTP_PASSWORD: z.string().optional(),
  SMTP_FROM: z.string().default('LLMLab <alerts@localhost>'),
});

export type Env = z.infer<typeof EnvSchema>;

export interface Config {
  port: number;
  host: string;
  databaseUrl: string;
  /** Folder for the generated secret and the SQLite file. */
  dataDir: string;
  secret: string;
  openaiBaseUrl: string;
  anthropicBaseUrl: string;
  webhookAllowPrivate: boolean;
  secureCookies: boolean;
  logLevel: Env['LLMLAB_LOG_LEVEL'];
  webDist?: string;
  /** Ingest and proxy requests handled at once; more get 503 with Retry-After. */
  maxInflight: number;
  smtp: { host?: string; port: number; secure: boolean; user?: string; password?: string; from: string };
}

/** Parses the environment once. Throws a readable error naming the bad setting. */
export function loadConfig(env: Record<string, string | undefined> = process.env, overrides: Partial<Config> = {}): Config {
  const parsed = EnvSchema.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== '')));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`invalid setting ${issue.path.join('.')}: ${issue.message}`);
  }
  const e = parsed.data;
  const databaseUrl = overrides.databaseUrl ?? e.DATABASE_URL;
  const dataDir = overrides.dataDir ?? (databaseUrl.startsWith('sqlite:') && databaseUrl !== 'sqlite::memory:'
    ? dirname(resolve(databaseUrl.slice('sqlite:'.length)))
    : resolve('.llmlab'));
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl,
    dataDir,
    secret: overrides.secret ?? e.LLMLAB_SECRET ?? readOrCreateSecret(dataDir),
    openaiBaseUrl: e.LLMLAB_OPENAI_BASE_URL.replace(/\/+$/, ''),
    anthropicBaseUrl: e.LLMLAB_ANTHROPIC_BASE_URL.replace(/\/+$/, ''),
    webhookAllowPrivate: e.LLMLAB_WEBHOOK_ALLOW_PRIVATE,
    secureCookies: e.LLMLAB_SECURE_COOKIES,
    logLevel: e.LLMLAB_LOG_LEVEL,
    webDist: e.LLMLAB_WEB_DIST,
    maxInflight: e.LLMLAB_MAX_INFLIGHT,
    smtp: {
      host: e.SMTP_HOST,
      port: e.SMTP_PORT,
      secure: e.SMTP_SECURE,
      user: e.SMTP_USER,
      password: e.SMTP_PASSWORD,
      from: e.SMTP_FROM,
    },
    ...overrides,
  };
}

/** The secret is generated on first run and kept beside the data, readable by the owner only. */
function readOrCreateSecret(dataDir: string): string {
  const file = join(dataDir, 'secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return secret;
}
