import { findCatalogModel } from '../pricing/catalog.js';

/**
 * Comparable chat models, for "the same work on another model". Chat models only: embedding,
 * image, audio and moderation models are never listed, so they are never offered as a chat
 * substitute nor get one.
 *
 * Tiers follow how each provider positions its own models (OpenAI "Models" overview, Anthropic
 * "Models overview", Google "Gemini models", Mistral "Models", xAI "Models and pricing", DeepSeek
 * "Models & pricing" pages, as of 2025): `large` is a provider's general-purpose flagship, `small`
 * its fast and cheap line, `reasoning` models that think before answering. Prices are never
 * written here: every alternative is priced from the bundled catalog.
 *
 * `target: false` marks legacy models: they are recognised as what a project uses, but never
 * proposed as a destination.
 */
export type ModelTier = 'large' | 'small' | 'reasoning';

export interface TierEntry {
  provider: string;
  model: string;
  tier: ModelTier;
  target: boolean;
}

const t = (provider: string, model: string, tier: ModelTier, target = true): TierEntry => ({ provider, model, tier, target });

export const MODEL_TIERS: readonly TierEntry[] = [
  t('openai', 'gpt-4', 'large', false),
  t('openai', 'gpt-4-turbo', 'large', false),
  t('openai', 'gpt-4o', 'large'),
  t('openai', 'gpt-4.1', 'large'),
  t('openai', 'gpt-3.5-turbo', 'small', false),
  t('openai', 'gpt-4o-mini', 'small'),
  t('openai', 'gpt-4.1-mini', 'small'),
  t('openai', 'o1', 'reasoning'),
  t('openai', 'o3', 'reasoning'),
  t('openai', 'o3-mini', 'reasoning'),
  t('openai', 'o4-mini', 'reasoning'),
  t('anthropic', 'claude-3-opus', 'large', false),
  t('anthropic', 'claude-3-sonnet', 'large', false),
  t('anthropic', 'claude-3-5-sonnet', 'large', false),
  t('anthropic', 'claude-3-7-sonnet', 'large'),
  t('anthropic', 'claude-sonnet-4', 'large'),
  t('anthropic', 'claude-opus-4', 'large'),
  t('anthropic', 'claude-3-haiku', 'small'),
  t('anthropic', 'claude-3-5-haiku', 'small'),
  t('google', 'gemini-pro', 'small', false),
  t('google', 'gemini-1.5-pro', 'large', false),
  t('google', 'gemini-2.5-pro', 'large'),
  t('google', 'gemini-1.5-flash', 'small', false),
  t('google', 'gemini-2.0-flash', 'small'),
  t('google', 'gemini-2.5-flash', 'small'),
  t('mistral', 'mistral-large-latest', 'large'),
  t('mistral', 'mistral-small-latest', 'small'),
  t('x-ai', 'grok-3', 'large'),
  t('x-ai', 'grok-3-mini', 'small'),
  t('deepseek', 'deepseek-chat', 'large'),
  t('deepseek', 'deepseek-reasoner', 'reasoning'),
];

/** Catalog model id of an entry or of a model name, so that dated and aliased names match. */
function catalogId(provider: string, model: string): string {
  return findCatalogModel(provider, model)?.model.id ?? model.toLowerCase();
}

/**
 * The tier entry a (provider, model) pair is, matched through the catalog so that
 * "gpt-4o-2024-08-06" or "claude-3-opus-latest" find their row; null for models not listed.
 */
export function findTier(provider: string, model: string): TierEntry | null {
  const id = catalogId(provider, model);
  return MODEL_TIERS.find((e) => e.provider === provider && catalogId(e.provider, e.model) === id) ?? null;
}

/** True when two names are the same catalog model. */
export function sameModel(a: { provider: string; model: string }, b: { provider: string; model: string }): boolean {
  return a.provider === b.provider && catalogId(a.provider, a.model) === catalogId(b.provider, b.model);
}
