import type { AppError, PriceOverride, RateLimitRule, ResponseCacheSetting } from '@llmlab/core';
import type { Actor } from '../auth/actor.js';
import { authenticate, requireScope } from '../auth/authenticate.js';
import type { AppContext } from '../context.js';
import { isDatabaseFailure, withDeadline } from '../db/errors.js';
import type { BudgetsTable } from '../db/schema.js';
import { type FailMode, readGatewaySettings } from '../gateway-keys/gateway-settings.js';
import { type GatewayProvider, readProviderKeys } from '../gateway-keys/provider-keys.js';
import { loadOverrides } from '../prices/load-overrides.js';
import { loadRateLimits } from '../rate-limits/rate-limit-rules.js';

/** How long a project's gateway profile is reused: budgets, keys and settings reach the proxy within this. */
export const PROFILE_TTL_MS = 1000;
const MAX_PROFILES = 10_000;

/** Everything the proxy needs about the caller's project, read once per PROFILE_TTL_MS. */
export interface ProjectProfile {
  actor: Actor;
  failMode: FailMode;
  /** The project's response cache setting (gateway settings). */
  cache: ResponseCacheSetting;
  hardBudgets: BudgetsTable[];
  /** Stored provider keys, decrypted; an error for a key that no longer decrypts. */
  providerKeys: Partial<Record<GatewayProvider, string | AppError>>;
  /** The project's Azure OpenAI endpoint (gateway settings), or null for LLMLAB_AZURE_BASE_URL. */
  azureEndpoint: string | null;
  overrides: PriceOverride[];
  rateLimits: RateLimitRule[];
}

export type ProfileLookup =
  | { status: 'ok'; profile: ProjectProfile; stale: boolean }
  /** The database could not be reached and this key has not been seen: the call may still flow (fail-open). */
  | { status: 'unavailable' };

/**
 * A key seen for the first time waits this long for the database before the call fails open: a
 * slow database is waited for (hard budgets must not be skipped because of load), a refused
 * connection fails open at once.
 */
export const DB_DEADLINE_MS = 15_000;
/** How long a call waits for an expired profile's reload before using the old one. */
export const REFRESH_WAIT_MS = 250;
/** Reservations queue on the budget's row lock under load: waiting is not an outage. */
export const RESERVE_DEADLINE_MS = 15_000;

/**
 * Whether the gateway's last database access failed. Every profile load, reservation and usage
 * write reports here, so a fail-closed project is refused as soon as any of them sees an outage,
 * not only when its own cached profile expires.
 */
export class DatabaseHealth {
  down = false;

  report(ok: boolean): void {
    this.down = !ok;
  }
}

/**
 * Resolves LLMLab keys to project profiles with a short-lived cache. When the database fails,
 * the last profile seen for the key is used, however old, so traffic keeps flowing. The cache is
 * keyed by the key as sent (it lives in this process only, as the request that carried it does),
 * so a call costs a map lookup rather than a hash.
 */
export class ProjectProfiles {
  private readonly cache = new Map<string, { profile: ProjectProfile; at: number; failed: boolean }>();
  private readonly loading = new Map<string, Promise<ProjectProfile>>();

  constructor(
    private readonly ctx: AppContext,
    private readonly health: DatabaseHealth,
  ) {}

  /** The cached profile when it is fresh, without waiting for anything; undefined otherwise (then call lookup). */
  fresh(key: string): ProfileLookup | undefined {
    const cached = this.cache.get(key);
    return cached && Date.now() - cached.at < PROFILE_TTL_MS ? { status: 'ok', profile: cached.profile, stale: cached.failed } : undefined;
  }

  /**
   * A fresh profile is used as is; an expired one is reloaded, but a call waits at most
   * REFRESH_WAIT_MS for that before using the old one; only a key never seen waits longer.
   * Throws AppError (unauthorized, forbidden) for a key the database rejects.
   */
  async lookup(key: string): Promise<ProfileLookup> {
    const cached = this.cache.get(key);
    if (cached) {
      if (Date.now() - cached.at < PROFILE_TTL_MS) return { status: 'ok', profile: cached.profile, stale: cached.failed };
      const reloaded = this.load(key);
      try {
        return { status: 'ok', profile: await withDeadline(reloaded, REFRESH_WAIT_MS), stale: false };
      } catch (err) {
        if (!isDatabaseFailure(err)) throw err;
        reloaded.catch(() => {});
        return { status: 'ok', profile: cached.profile, stale: this.cache.get(key)?.failed ?? true };
      }
    }
    try {
      return { status: 'ok', profile: await this.load(key), stale: false };
    } catch (err) {
      if (!isDatabaseFailure(err)) throw err;
      return { status: 'unavailable' };
    }
  }

  /** Concurrent loads of one key share one read. */
  private load(key: string): Promise<ProjectProfile> {
    let pending = this.loading.get(key);
    if (pending) return pending;
    pending = withDeadline(this.read(key), DB_DEADLINE_MS)
      .then((profile) => {
        this.health.report(true);
        this.cache.delete(key);
        if (this.cache.size >= MAX_PROFILES) this.cache.delete(this.cache.keys().next().value as string);
        this.cache.set(key, { profile, at: Date.now(), failed: false });
        return profile;
      })
      .catch((err: unknown) => {
        const cached = this.cache.get(key);
        if (!isDatabaseFailure(err)) {
          this.cache.delete(key);
        } else {
          this.health.report(false);
          // Retry after another TTL rather than on every call while the database is down.
          if (cached) this.cache.set(key, { ...cached, at: Date.now(), failed: true });
        }
        throw err;
      })
      .finally(() => this.loading.delete(key));
    this.loading.set(key, pending);
    return pending;
  }

  private async read(key: string): Promise<ProjectProfile> {
    const actor = await authenticate(this.ctx, key);
    requireScope(actor, 'ingest');
    const db = this.ctx.db.kysely;
    const [settings, hardBudgets, providerKeys, overrides, rateLimits] = await Promise.all([
      readGatewaySettings(this.ctx, actor.projectId),
      db.selectFrom('budgets').selectAll().where('project_id', '=', actor.projectId).where('hard_limit', '=', 1).orderBy('id').execute(),
      readProviderKeys(this.ctx, actor.projectId),
      loadOverrides(this.ctx.db, actor.orgId),
      loadRateLimits(db, actor.projectId),
    ]);
    return { actor, failMode: settings.fail_mode, cache: settings.cache, hardBudgets, providerKeys, azureEndpoint: settings.azure_endpoint, overrides, rateLimits };
  }
}
