import { ERROR_CODES, type ErrorCode } from '@llmlab/core/errors';

export type LLMLabErrorCode = ErrorCode | 'connection_error';

/**
 * Every error the SDK raises about LLMLab itself (never about the LLM provider, whose errors
 * pass through untouched). `code` is the wire code of `{error: {code, message}}`.
 */
export class LLMLabError extends Error {
  readonly code: LLMLabErrorCode;
  /** HTTP status, or 0 when LLMLab could not be reached. */
  readonly status: number;
  readonly details?: unknown;

  constructor(code: LLMLabErrorCode, message: string, status = 0, details?: unknown) {
    super(message);
    this.name = 'LLMLabError';
    this.code = code;
    this.status = status;
    this.details = details;
  }
}

export class AuthenticationError extends LLMLabError {
  override name = 'AuthenticationError';
}
export class PermissionDeniedError extends LLMLabError {
  override name = 'PermissionDeniedError';
}
export class NotFoundError extends LLMLabError {
  override name = 'NotFoundError';
}
export class ValidationError extends LLMLabError {
  override name = 'ValidationError';
}
export class ConflictError extends LLMLabError {
  override name = 'ConflictError';
}
export class RateLimitError extends LLMLabError {
  override name = 'RateLimitError';
}
export class UnavailableError extends LLMLabError {
  override name = 'UnavailableError';
}
export class ConnectionError extends LLMLabError {
  override name = 'ConnectionError';
}

/** The budget whose hard limit stopped a call, as GET /api/budgets describes it. */
export interface ExceededBudget {
  id: string;
  name: string | null;
  amount: number;
  period: string;
  spent: number;
  scope: { provider?: string; model?: string; feature?: string } | null;
}

/**
 * Thrown by wrapped clients before the provider is called when a budget with `hard_limit`
 * is exhausted. Also what a `budget_exceeded` answer from LLMLab maps to.
 * @example try { await openai.chat.completions.create(req) } catch (e) { if (e instanceof BudgetExceededError) useCache() }
 */
export class BudgetExceededError extends LLMLabError {
  override name = 'BudgetExceededError';
  readonly budget: ExceededBudget | null;

  constructor(message: string, budget: ExceededBudget | null = null, status = 429, details?: unknown) {
    super('budget_exceeded', message, status, details);
    this.budget = budget;
  }
}

const byCode: Partial<Record<ErrorCode, new (c: LLMLabErrorCode, m: string, s: number, d?: unknown) => LLMLabError>> = {
  unauthorized: AuthenticationError,
  forbidden: PermissionDeniedError,
  not_found: NotFoundError,
  bad_request: ValidationError,
  validation_failed: ValidationError,
  payload_too_large: ValidationError,
  conflict: ConflictError,
  rate_limited: RateLimitError,
  unavailable: UnavailableError,
};

const codes = new Set<string>(ERROR_CODES);

/** Maps an LLMLab error answer (`{error: {code, message, details?}}`) to its typed error. */
export function errorFromResponse(status: number, body: unknown): LLMLabError {
  const wire = (body as { error?: { code?: unknown; message?: unknown; details?: unknown } } | null)?.error;
  const message = typeof wire?.message === 'string' ? wire.message : `LLMLab answered HTTP ${status}`;
  const code = typeof wire?.code === 'string' && codes.has(wire.code) ? (wire.code as ErrorCode) : codeForStatus(status);
  if (code === 'budget_exceeded') return new BudgetExceededError(message, null, status, wire?.details);
  const Type = byCode[code] ?? LLMLabError;
  return new Type(code, message, status, wire?.details);
}

function codeForStatus(status: number): ErrorCode {
  if (status === 400) return 'bad_request';
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status === 409) return 'conflict';
  if (status === 410) return 'gone';
  if (status === 413) return 'payload_too_large';
  if (status === 429) return 'rate_limited';
  if (status === 503) return 'unavailable';
  return 'internal';
}
