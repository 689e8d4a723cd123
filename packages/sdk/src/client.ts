import { BudgetGuard } from './budgets/guard.js';
import type { Budget, BudgetUsagePage, CostSummary, Recommendation } from './budgets/types.js';
import { readEnvDefaults } from './config.js';
import { currentAttribution, mergeAttribution } from './context/attribution.js';
import { LLMLabError } from './errors.js';
import { type TrackInput, toWireEvent } from './events/wire-event.js';
import { exchange, type FetchLike, type HttpSettings, requestJson } from './transport/http.js';
import { Sender, type SenderStats } from './transport/sender.js';
import { interceptAnthropic } from './wrappers/anthropic.js';
import { interceptGoogle } from './wrappers/google.js';
import { interceptOpenAI } from './wrappers/openai.js';
import { canonicalProviderName, providerOfOpenAIClient } from './wrappers/provider.js';
import { combineGuards, type CallGuard } from './rate-limits/call-guard.js';
import { RateLimitGuard } from './rate-limits/rate-limit-guard.js';
import type { RateLimit } from './rate-limits/types.js';
import { sha256Hex } from './wrappers/request-hash.js';
import type { CallRecorder } from './wrappers/tracked-call.js';
import type { WrapContext, WrapOptions } from './wrappers/tracked-method.js';

export interface Logger {
  warn(message: string): void;
}

export interface LLMLabOptions {
  /** Project API key (`llmlab_...`); default `LLMLAB_API_KEY`. Without one, nothing is sent. */
  apiKey?: string;
  /** Default `LLMLAB_BASE_URL`, else http://localhost:8787. */
  baseUrl?: string;
  /** Put on every event unless a call says otherwise; default `LLMLAB_ENVIRONMENT`. */
  environment?: string;
  /** Turns capture off: track() and wrappers do nothing extra. Default `LLMLAB_DISABLED`. */
  disabled?: boolean;
  /** Events per POST (max 1000). Default 100. */
  batchSize?: number;
  /** A partial batch waits at most this long. Default 1000 ms. */
  flushIntervalMs?: number;
  /** Events kept while LLMLab is unreachable; beyond it the oldest are dropped. Default 10,000. */
  maxQueueSize?: number;
  /** Backoff between retries: base and ceiling. Defaults 500 ms and 30 s. */
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** Per-request timeout towards LLMLab. Default 10 s. */
  timeoutMs?: number;
  /** Enforce budgets with `hard_limit` in wrapped clients. Default true. */
  enforceBudgets?: boolean;
  /** Enforce the `requests_per_minute` of the project's rate limits in wrapped clients, counted per process. Default true. */
  enforceRateLimits?: boolean;
  /** How long the budget state (and the rate limits) is trusted before it is fetched again. Default 5 s. */
  budgetCacheMs?: number;
  /** Flush on the process's `beforeExit`. Default true. */
  flushOnExit?: boolean;
  /** Injected fetch (a proxy agent, tests). Default global fetch. */
  fetch?: FetchLike;
  /** Where the SDK's few log lines go. Default console.warn with an `[llmlab]` prefix. */
  logger?: Logger;
}

const consoleLogger: Logger = { warn: (message) => console.warn(`[llmlab] ${message}`) };

/**
 * The LLMLab client: records LLM calls in the background and reads costs back.
 * @example const llmlab = new LLMLab({ apiKey: process.env.LLMLAB_API_KEY }); const openai = llmlab.wrapOpenAI(new OpenAI());
 */
export class LLMLab {
  readonly enabled: boolean;
  private readonly http: HttpSettings;
  private readonly sender: Sender;
  private readonly guard: CallGuard | null;
  private readonly environment: string | undefined;
  private readonly logger: Logger;
  private readonly recorder: CallRecorder;
  private readonly onBeforeExit: (() => void) | null = null;
  private invalidWarned = false;

  constructor(options: LLMLabOptions = {}) {
    const env = readEnvDefaults();
    this.logger = options.logger ?? consoleLogger;
    const apiKey = options.apiKey ?? env.apiKey;
    const disabled = options.disabled ?? env.disabled;
    this.enabled = !disabled && !!apiKey;
    if (!disabled && !apiKey) this.logger.warn('no API key (set LLMLAB_API_KEY or pass apiKey): calls are not recorded');
    this.environment = options.environment ?? env.environment;
    this.http = {
      baseUrl: (options.baseUrl ?? env.baseUrl).replace(/\/+$/, ''),
      apiKey: apiKey ?? '',
      fetch: options.fetch ?? ((input, init) => fetch(input, init)),
      timeoutMs: options.timeoutMs ?? 10_000,
    };
    const warn = (message: string) => this.logger.warn(message);
    this.sender = new Sender({
      post: (events) => exchange(this.http, 'POST', '/api/events/batch', { events }),
      batchSize: Math.min(1000, Math.max(1, options.batchSize ?? 100)),
      flushIntervalMs: options.flushIntervalMs ?? 1000,
      maxQueueSize: Math.max(1, options.maxQueueSize ?? 10_000),
      backoff: { baseMs: options.retryBaseMs ?? 500, maxMs: options.retryMaxMs ?? 30_000 },
      warn,
    });
    const enforce = this.enabled && (options.enforceBudgets ?? true);
    const usage = (id: string, cursor: string | null) =>
      this.read<BudgetUsagePage>(`/api/budgets/${encodeURIComponent(id)}/usage?limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    const budgets = enforce ? new BudgetGuard(() => this.getBudgets(), options.budgetCacheMs ?? 5000, this.http.timeoutMs, warn, usage) : null;
    const limits = this.enabled && (options.enforceRateLimits ?? true) ? new RateLimitGuard(() => this.getRateLimits(), options.budgetCacheMs ?? 5000, this.http.timeoutMs, warn) : null;
    this.guard = combineGuards(budgets, limits);
    this.recorder = { recordCall: (input, requestCanonical) => this.deferRecord(input, requestCanonical) };
    if (this.enabled && (options.flushOnExit ?? true)) {
      this.onBeforeExit = () => this.flushBeforeExit();
      process.on('beforeExit', this.onBeforeExit);
    }
  }

  /**
   * Records one LLM call and returns its event id at once; the event is sent in the background.
   * Attribution from an enclosing `withTags` is applied. Throws a ValidationError on bad input.
   * @example llmlab.track({ provider: 'openai', model: 'gpt-4o', inputTokens: 1200, outputTokens: 300, feature: 'search' })
   */
  track(input: TrackInput): string {
    const event = toWireEvent(this.attributed(input));
    if (this.enabled) this.sender.enqueue(event);
    return event.event_id;
  }

  /** Sends what is queued. Resolves true when all of it was delivered within `timeoutMs` (default 30 s). */
  flush(timeoutMs = 30_000): Promise<boolean> {
    this.recordDeferred();
    return this.sender.flush(timeoutMs);
  }

  /** Flushes (default up to 10 s), then stops sending and detaches from the process. */
  async shutdown(timeoutMs = 10_000): Promise<boolean> {
    if (this.onBeforeExit) process.off('beforeExit', this.onBeforeExit);
    this.recordDeferred();
    return this.sender.close(timeoutMs);
  }

  /** Delivery counters: pending, sent, dropped (buffer full), rejected (4xx), retries. */
  stats(): SenderStats {
    return this.sender.stats();
  }

  /**
   * Wraps an `openai` (6.x) client: every chat completion, response and embedding is recorded with
   * its real usage, streams included. The returned client has the same type and behaviour. A
   * client of an OpenAI-compatible host (Groq, DeepSeek, xAI, OpenRouter, Azure, Ollama, ...) is
   * recorded under that host, known from its `baseURL` or named with `provider`.
   * @example const openai = llmlab.wrapOpenAI(new OpenAI(), { feature: 'chat' })
   * @example const groq = llmlab.wrapOpenAI(new OpenAI({ baseURL: 'https://api.groq.com/openai/v1', apiKey }))
   */
  wrapOpenAI<C extends object>(client: C, options: WrapOptions = {}): C {
    if (!this.enabled) return client;
    return interceptOpenAI(client, this.wrapContext(options, providerOfOpenAIClient(client, options.provider)));
  }

  /**
   * Wraps an `@anthropic-ai/sdk` client: every `messages.create` (and `messages.stream`) is recorded.
   * @example const anthropic = llmlab.wrapAnthropic(new Anthropic())
   */
  wrapAnthropic<C extends object>(client: C, options: WrapOptions = {}): C {
    if (!this.enabled) return client;
    return interceptAnthropic(client, this.wrapContext(options, 'anthropic'));
  }

  /**
   * Wraps a `@google/genai` client: every `models.generateContent` and `models.generateContentStream`
   * is recorded with its `usageMetadata` (thinking counted as output), provider `google`.
   * @example const ai = llmlab.wrapGoogle(new GoogleGenAI({ apiKey: process.env.GEMINI_API_KEY }))
   */
  wrapGoogle<C extends object>(client: C, options: WrapOptions = {}): C {
    if (!this.enabled) return client;
    return interceptGoogle(client, this.wrapContext(options, 'google'));
  }

  /** GET /api/costs/summary. */
  getSummary(params: { days?: number; tz?: string } = {}): Promise<CostSummary> {
    const query = new URLSearchParams();
    if (params.days !== undefined) query.set('days', String(params.days));
    if (params.tz) query.set('tz', params.tz);
    const qs = query.toString();
    return this.read<CostSummary>(`/api/costs/summary${qs ? `?${qs}` : ''}`);
  }

  /** GET /api/recommendations: ways to spend less, from this project's own usage. */
  async getRecommendations(): Promise<Recommendation[]> {
    const body = await this.read<Recommendation[] | { recommendations: Recommendation[] }>('/api/recommendations');
    return Array.isArray(body) ? body : body.recommendations;
  }

  /** GET /api/budgets, each with its current status. */
  async getBudgets(): Promise<Budget[]> {
    const body = await this.read<{ budgets: Budget[] }>('/api/budgets');
    return body.budgets;
  }

  /** GET /api/rate-limits. */
  async getRateLimits(): Promise<RateLimit[]> {
    const body = await this.read<{ rate_limits: RateLimit[] }>('/api/rate-limits');
    return body.rate_limits;
  }

  private read<T>(path: string): Promise<T> {
    if (!this.http.apiKey) return Promise.reject(new LLMLabError('unauthorized', 'no API key: set LLMLAB_API_KEY or pass apiKey'));
    return requestJson<T>(this.http, 'GET', path);
  }

  private wrapContext(options: WrapOptions, provider: string): WrapContext {
    const { provider: named, ...defaults } = options;
    // Learn the budget state and rate limits now, so the first wrapped call rarely has to wait for them.
    void this.guard?.refresh();
    return { recorder: this.recorder, guard: this.guard, defaults, provider: named ? canonicalProviderName(named) : provider };
  }

  private attributed(input: TrackInput): TrackInput {
    const context = currentAttribution();
    if (!context) return this.environment === undefined || input.environment !== undefined ? input : { ...input, environment: this.environment };
    const a = mergeAttribution(mergeAttribution({ environment: this.environment }, context), {
      feature: input.feature,
      userId: input.userId,
      sessionId: input.sessionId,
      environment: input.environment,
      tags: input.tags,
      metadata: input.metadata,
    });
    return { ...input, feature: a.feature, userId: a.userId, sessionId: a.sessionId, environment: a.environment, tags: a.tags, metadata: a.metadata };
  }

  private deferred: { input: TrackInput; requestCanonical: string | undefined }[] = [];
  private deferredTimer: NodeJS.Immediate | null = null;

  /**
   * Wrapped calls hand their event over here and the hashing, validation and queueing happen on
   * the next turn of the event loop, so none of it sits between the provider's answer and the caller.
   */
  private deferRecord(input: TrackInput, requestCanonical: string | undefined): void {
    if (!this.enabled) return;
    this.deferred.push({ input, requestCanonical });
    this.deferredTimer ??= setImmediate(() => this.recordDeferred());
  }

  private recordDeferred(): void {
    if (this.deferredTimer) clearImmediate(this.deferredTimer);
    this.deferredTimer = null;
    for (const { input, requestCanonical } of this.deferred.splice(0)) {
      try {
        const requestHash = requestCanonical === undefined ? undefined : sha256Hex(requestCanonical);
        this.sender.enqueue(toWireEvent({ ...input, requestHash, environment: input.environment ?? this.environment }));
      } catch (error) {
        // A recording problem must never surface in the user's LLM call.
        if (!this.invalidWarned) {
          this.invalidWarned = true;
          this.logger.warn(`a call could not be recorded: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
    }
  }

  private exitFlushStarted = false;
  private flushBeforeExit(): void {
    // beforeExit fires again once this flush's work is done; one bounded attempt is enough.
    if (this.exitFlushStarted || !this.sender.hasPending()) return;
    this.exitFlushStarted = true;
    void this.sender.close(5_000);
  }
}
