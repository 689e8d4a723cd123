import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { type GatewayRoute, HOSTED_PROVIDERS } from '@llmlab/core';
import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** `LLMLAB_<ROUTE>_BASE_URL` of a gateway route (`xai` -> LLMLAB_XAI_BASE_URL). */
export const baseUrlSetting = (route: GatewayRoute) => `LLMLAB_${route.toUpperCase()}_BASE_URL`;

/** The upstream of every gateway route beyond OpenAI and Anthropic (declared below with their defaults). */
const upstreamSettings = Object.fromEntries(HOSTED_PROVIDERS.filter((p) => p.route !== 'openai' && p.route !== 'anthropic').map((p) => [baseUrlSetting(p.route), z.url().optional()]));

/** Every setting LLMLab reads from the environment; nothing else reads process.env. */
const EnvSchema = z.object({
  ...upstreamSettings,
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
  LLMLAB_PUBLIC_URL: z.url().optional(),
  LLMLAB_LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  LLMLAB_WEB_DIST: z.string().optional(),
  LLMLAB_MAX_INFLIGHT: z.coerce.number().int().min(1).max(100_000).default(256),
  LLMLAB_CACHE_MAX_MB: z.coerce.number().min(0).max(1_000_000).default(512),
  LLMLAB_CACHE_PROJECT_MAX_MB: z.coerce.number().min(0).max(1_000_000).default(64),
  SMTP_HOST: z.string().optional(),
  SMTP_PORT: z.coerce.number().int().min(1).max(65535).default(587),
  SMTP_SECURE: bool.default(false),
  SMTP_USER: z.string().optional(),
  SMTP_PASSWORD: z.string().optional(),
  SMTP_FROM: z.string().default('LLMLab <alerts@localhost>'),
  LLMLAB_OIDC_ISSUER: z.url().optional(),
  LLMLAB_OIDC_CLIENT_ID: z.string().optional(),
  LLMLAB_OIDC_CLIENT_SECRET: z.string().optional(),
  LLMLAB_OIDC_ALLOWED_DOMAINS: z
    .string()
    .transform((v) => v.split(',').map((d) => d.trim().toLowerCase().replace(/^@/, '')).filter(Boolean))
    .refine((ds) => ds.length > 0 && ds.every((d) => /^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(d)), 'a comma-separated list of email domains, such as example.com,example.org')
    .optional(),
  LLMLAB_OIDC_DEFAULT_ROLE: z.enum(['viewer', 'member', 'admin']).default('member'),
  LLMLAB_OIDC_ORG_ID: z.string().optional(),
}).superRefine((e, ctx) => {
  // Single sign-on is on when the issuer is set; the rest of its settings only make sense with it.
  const need = (key: keyof typeof e, message: string) => ctx.addIssue({ code: 'custom', path: [key], message });
  if (e.LLMLAB_OIDC_ISSUER) {
    if (!e.LLMLAB_OIDC_CLIENT_ID) need('LLMLAB_OIDC_CLIENT_ID', 'required when LLMLAB_OIDC_ISSUER is set');
    if (!e.LLMLAB_OIDC_ALLOWED_DOMAINS) need('LLMLAB_OIDC_ALLOWED_DOMAINS', 'required when LLMLAB_OIDC_ISSUER is set: the email domains whose users may sign in');
    const issuer = new URL(e.LLMLAB_OIDC_ISSUER);
    if (issuer.protocol !== 'https:' && !(issuer.protocol === 'http:' && isLoopback(issuer.hostname))) {
      need('LLMLAB_OIDC_ISSUER', 'must be an https:// URL (http:// only for an issuer on this machine)');
    }
  } else if (e.LLMLAB_OIDC_CLIENT_ID || e.LLMLAB_OIDC_ALLOWED_DOMAINS) {
    need('LLMLAB_OIDC_ISSUER', 'required when the other LLMLAB_OIDC_ settings are set');
  }
});

export type Env = z.infer<typeof EnvSchema>;

const MB = 1024 * 1024;

export interface Config {
  port: number;
  host: string;
  databaseUrl: string;
  /** Folder for the generated secret and the SQLite file. */
  dataDir: string;
  secret: string;
  openaiBaseUrl: string;
  anthropicBaseUrl: string;
  /** Where each gateway route other than OpenAI and Anthropic (above) forwards, no trailing slash; Azure's only when LLMLAB_AZURE_BASE_URL is set. */
  upstreams: Partial<Record<GatewayRoute, string>>;
  webhookAllowPrivate: boolean;
  secureCookies: boolean;
  /** The dashboard's address as people open it (links in invitations); unset: the address of the request. */
  publicUrl?: string;
  logLevel: Env['LLMLAB_LOG_LEVEL'];
  webDist?: string;
  /** Ingest and proxy requests handled at once; more get 503 with Retry-After. */
  maxInflight: number;
  /** Bounds of the proxy's response cache, in bytes of stored answers; past them the oldest answers go. */
  responseCache: { maxBytes: number; maxProjectBytes: number; maxEntryBytes: number };
  smtp: { host?: string; port: number; secure: boolean; user?: string; password?: string; from: string };
  /** OpenID Connect single sign-on; absent unless LLMLAB_OIDC_ISSUER is set. */
  oidc?: OidcConfig;
}

export interface OidcConfig {
  /** Exactly as the identity provider names itself in its discovery document and ID tokens. */
  issuer: string;
  clientId: string;
  /** Absent for a public client (PKCE only). */
  clientSecret?: string;
  /** Lower-case email domains whose users may sign in; anyone else is refused. */
  allowedDomains: string[];
  /** The role a user gets when SSO makes them a member. */
  defaultRole: 'viewer' | 'member' | 'admin';
  /** The org SSO users join; absent means the oldest org. */
  orgId?: string;
}

function upstreamsOf(e: Env): Partial<Record<GatewayRoute, string>> {
  const env = e as Record<string, unknown>;
  const out: Partial<Record<GatewayRoute, string>> = {};
  for (const p of HOSTED_PROVIDERS) {
    if (p.route === 'openai' || p.route === 'anthropic') continue;
    const set = env[baseUrlSetting(p.route)];
    const url = typeof set === 'string' ? set : p.defaultBaseUrl;
    if (url) out[p.route] = url.replace(/\/+$/, '');
  }
  return out;
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
    upstreams: upstreamsOf(e),
    webhookAllowPrivate: e.LLMLAB_WEBHOOK_ALLOW_PRIVATE,
    secureCookies: e.LLMLAB_SECURE_COOKIES,
    publicUrl: e.LLMLAB_PUBLIC_URL?.replace(/\/+$/, ''),
    logLevel: e.LLMLAB_LOG_LEVEL,
    webDist: e.LLMLAB_WEB_DIST,
    maxInflight: e.LLMLAB_MAX_INFLIGHT,
    responseCache: {
      maxBytes: Math.round(e.LLMLAB_CACHE_MAX_MB * MB),
      maxProjectBytes: Math.round(e.LLMLAB_CACHE_PROJECT_MAX_MB * MB),
      // One answer takes at most a quarter of its project's room, and never more than 4 MB.
      maxEntryBytes: Math.min(4 * MB, Math.round((e.LLMLAB_CACHE_PROJECT_MAX_MB * MB) / 4)),
    },
    smtp: {
      host: e.SMTP_HOST,
      port: e.SMTP_PORT,
      secure: e.SMTP_SECURE,
      user: e.SMTP_USER,
      password: e.SMTP_PASSWORD,
      from: e.SMTP_FROM,
    },
    oidc: e.LLMLAB_OIDC_ISSUER
      ? {
          issuer: e.LLMLAB_OIDC_ISSUER,
          clientId: e.LLMLAB_OIDC_CLIENT_ID as string,
          clientSecret: e.LLMLAB_OIDC_CLIENT_SECRET,
          allowedDomains: e.LLMLAB_OIDC_ALLOWED_DOMAINS ?? [],
          defaultRole: e.LLMLAB_OIDC_DEFAULT_ROLE,
          orgId: e.LLMLAB_OIDC_ORG_ID,
        }
      : undefined,
    ...overrides,
  };
}

/** localhost, 127.x.x.x or ::1: the only hosts an http:// issuer may have. */
export function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname.endsWith('.localhost') || /^127(\.\d{1,3}){3}$/.test(hostname) || hostname === '[::1]';
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
