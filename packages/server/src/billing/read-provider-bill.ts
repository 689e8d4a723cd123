import { AppError, type BilledLine, type BillingProvider, DAY_MS } from '@llmlab/core';

/** One UTC day of a provider's bill, as read from its cost API. */
export interface BillDay {
  /** The day's start, epoch ms. */
  day: number;
  lines: BilledLine[];
}

/** A UTC range of whole days, [from, to) in epoch ms. */
export interface DayRange {
  from: number;
  to: number;
}

export const PROVIDER_NAMES: Record<BillingProvider, string> = { openai: 'OpenAI', anthropic: 'Anthropic' };

/** Pages followed at most for one range: far beyond any real bill, a guard against a provider that never says it is done. */
const MAX_PAGES = 200;
const TIMEOUT_MS = 30_000;

/** The provider's message in an error answer: both providers send `{error: {message}}`. */
function providerMessage(text: string): string {
  try {
    const body = JSON.parse(text) as { error?: { message?: unknown } | string };
    const message = typeof body.error === 'string' ? body.error : body.error?.message;
    if (typeof message === 'string' && message) return message.slice(0, 300);
  } catch {
    // not JSON: the text itself
  }
  return text.trim().slice(0, 300) || 'no message';
}

/**
 * GET a page of a provider's cost API. A refusal of the admin key is the caller's to fix (400),
 * a rate limit is passed on (429 with the provider's Retry-After), anything else is the
 * provider's failure (502); each message names the provider and what it said.
 */
async function getPage(provider: BillingProvider, url: URL, headers: Record<string, string>): Promise<unknown> {
  const name = PROVIDER_NAMES[provider];
  let res: Response;
  try {
    res = await fetch(url, { headers: { accept: 'application/json', ...headers }, signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (err) {
    const reason = err instanceof Error && err.name === 'TimeoutError' ? `no answer within ${TIMEOUT_MS / 1000} s` : err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err);
    throw new AppError('bad_gateway', `${name}'s cost API at ${url.origin} could not be reached: ${reason}`);
  }
  const text = await res.text();
  if (res.status === 401 || res.status === 403) {
    throw new AppError('bad_request', `${name} refused the admin key (HTTP ${res.status}: ${providerMessage(text)}): store an admin key of the organization (PUT /api/billing/connections/${provider})`);
  }
  if (res.status === 429) {
    const retryAfter = Number(res.headers.get('retry-after')) || 60;
    throw new AppError('rate_limited', `${name} rate-limited the cost API (HTTP 429: ${providerMessage(text)}); try again in ${retryAfter} s`, { retry_after: retryAfter });
  }
  if (!res.ok) throw new AppError('bad_gateway', `${name}'s cost API answered HTTP ${res.status}: ${providerMessage(text)}`);
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError('bad_gateway', `${name}'s cost API answered something that is not JSON`);
  }
}

/** Reads every page of a cost report, following `has_more` and `next_page` until the provider says it is done. */
export async function readAllPages<T extends { has_more?: boolean | null; next_page?: string | null }>(
  provider: BillingProvider,
  pageUrl: (page: string | null) => URL,
  headers: Record<string, string>,
  parse: (body: unknown) => T,
): Promise<T[]> {
  const pages: T[] = [];
  let next: string | null = null;
  for (let i = 0; i < MAX_PAGES; i++) {
    const page = parse(await getPage(provider, pageUrl(next), headers));
    pages.push(page);
    if (!page.has_more) return pages;
    if (!page.next_page) throw new AppError('bad_gateway', `${PROVIDER_NAMES[provider]}'s cost API said it has more pages but gave no next_page`);
    next = page.next_page;
  }
  throw new AppError('bad_gateway', `${PROVIDER_NAMES[provider]}'s cost API was still paging after ${MAX_PAGES} pages`);
}

/** A bill's days keyed by UTC day start, with lines of the same text summed (a bucket may repeat one). */
export function collectDays(range: DayRange, entries: { day: number; line: BilledLine }[]): BillDay[] {
  const days = new Map<number, Map<string, BilledLine>>();
  for (let d = range.from; d < range.to; d += DAY_MS) days.set(d, new Map());
  for (const { day, line } of entries) {
    const lines = days.get(day);
    if (!lines) continue;
    const same = lines.get(line.line_item);
    if (same) same.amount_nanos += line.amount_nanos;
    else lines.set(line.line_item, { ...line });
  }
  return [...days].map(([day, lines]) => ({ day, lines: [...lines.values()] }));
}

/** The provider's answer did not have the documented shape. */
export function malformed(provider: BillingProvider, what: string): AppError {
  return new AppError('bad_gateway', `${PROVIDER_NAMES[provider]}'s cost API answered in an unexpected format (${what})`);
}

/** LLMLab compares USD; a bill in another currency is said, not converted. */
export function checkCurrency(provider: BillingProvider, currency: unknown): void {
  if (typeof currency === 'string' && currency.toLowerCase() !== 'usd') {
    throw new AppError('bad_gateway', `${PROVIDER_NAMES[provider]} bills this organization in ${currency.toUpperCase()}; LLMLab compares USD only`);
  }
}
