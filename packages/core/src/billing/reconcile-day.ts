import { findCatalogModel } from '../pricing/catalog.js';
import { DAY_MS, HOUR_MS } from '../time/zones.js';

/** The providers whose bills LLMLab reads with an admin key. */
export const BILLING_PROVIDERS = ['openai', 'anthropic'] as const;
export type BillingProvider = (typeof BILLING_PROVIDERS)[number];

/** Providers keep adjusting a day's figures for a while: a UTC day counts as settled 48 hours after it ends. */
export const SETTLE_MS = 48 * HOUR_MS;

/** What LLMLab recorded for one model on one UTC day (summed over the org's projects). */
export interface TrackedModel {
  model: string;
  cost_nanos: number;
  unpriced_calls: number;
}

/** One line of a provider's bill for a day: its text, the model it names ('' when none) and the amount. */
export interface BilledLine {
  line_item: string;
  model: string;
  amount_nanos: number;
}

/** A model (or, for a bill line that names no model, that line) on one day: both sides in nanodollars. */
export interface ModelReconciliation {
  /** The LLMLab model id (the price catalog's), or the provider's name for a model the catalog lacks; null for a line that names no model. */
  model: string | null;
  /** The bill's text, for a line that names no model; null for a model row. */
  line_item: string | null;
  tracked_nanos: number;
  billed_nanos: number;
  difference_nanos: number;
  difference_pct: number | null;
  unpriced_calls: number;
  /** The bill's lines behind the row, largest first. */
  line_items: { line_item: string; billed_nanos: number }[];
}

/**
 * `billed - tracked` as a percentage of the bill, two decimals; null when nothing was billed.
 * @example differencePct(41_000_000_000, 100_000_000_000) // 41
 */
export function differencePct(differenceNanos: number, billedNanos: number): number | null {
  if (billedNanos === 0) return null;
  return Math.round((differenceNanos / billedNanos) * 10_000) / 100;
}

/**
 * Whether a UTC day (given by its start) has settled at `now`: 48 hours after its end.
 * @example isSettled(Date.UTC(2026, 0, 1), Date.UTC(2026, 0, 4)) // true
 */
export function isSettled(dayStart: number, now: number): boolean {
  return now >= dayStart + DAY_MS + SETTLE_MS;
}

/**
 * The id a model is compared under: the price catalog's (so `gpt-4o-2024-08-06` on the bill and
 * `gpt-4o` in LLMLab meet), else the name as written.
 * @example modelKey('openai', 'gpt-4o-2024-08-06') // 'gpt-4o'
 */
export function modelKey(provider: string, model: string): string {
  return findCatalogModel(provider, model)?.model.id ?? model;
}

/**
 * The model an OpenAI cost line names: the text before ", " (`"gpt-4o-mini, cached input"` ->
 * `gpt-4o-mini`); '' for a line that names none (`"web search tool calls"`).
 * @example openaiLineModel('gpt-4o-2024-08-06, input') // 'gpt-4o-2024-08-06'
 */
export function openaiLineModel(lineItem: string): string {
  const comma = lineItem.indexOf(', ');
  return comma > 0 ? lineItem.slice(0, comma).trim() : '';
}

/**
 * One provider's day, model by model: what LLMLab tracked against what the provider billed.
 * Every bill line lands in a row (a model's, or its own when it names no model); nothing is
 * dropped, so the rows add up to the day's totals. Largest bill first.
 * @example reconcileModels('openai', [{ model: 'gpt-4o', cost_nanos: 9, unpriced_calls: 0 }], [{ line_item: 'gpt-4o-2024-08-06, input', model: 'gpt-4o-2024-08-06', amount_nanos: 10 }])
 * // [{ model: 'gpt-4o', line_item: null, tracked_nanos: 9, billed_nanos: 10, difference_nanos: 1, difference_pct: 10, ... }]
 */
export function reconcileModels(provider: string, tracked: readonly TrackedModel[], billed: readonly BilledLine[]): ModelReconciliation[] {
  const rows = new Map<string, ModelReconciliation>();
  const row = (key: string, model: string | null, lineItem: string | null) => {
    let r = rows.get(key);
    if (!r) {
      r = { model, line_item: lineItem, tracked_nanos: 0, billed_nanos: 0, difference_nanos: 0, difference_pct: null, unpriced_calls: 0, line_items: [] };
      rows.set(key, r);
    }
    return r;
  };
  for (const t of tracked) {
    const key = modelKey(provider, t.model);
    const r = row(`model:${key}`, key, null);
    r.tracked_nanos += t.cost_nanos;
    r.unpriced_calls += t.unpriced_calls;
  }
  for (const b of billed) {
    const key = b.model ? modelKey(provider, b.model) : '';
    const r = key ? row(`model:${key}`, key, null) : row(`line:${b.line_item}`, null, b.line_item);
    r.billed_nanos += b.amount_nanos;
    r.line_items.push({ line_item: b.line_item, billed_nanos: b.amount_nanos });
  }
  const out = [...rows.values()];
  for (const r of out) {
    r.difference_nanos = r.billed_nanos - r.tracked_nanos;
    r.difference_pct = differencePct(r.difference_nanos, r.billed_nanos);
    r.line_items.sort((a, b) => b.billed_nanos - a.billed_nanos || a.line_item.localeCompare(b.line_item));
  }
  return out.sort((a, b) => b.billed_nanos - a.billed_nanos || b.tracked_nanos - a.tracked_nanos || (a.model ?? a.line_item ?? '').localeCompare(b.model ?? b.line_item ?? ''));
}
