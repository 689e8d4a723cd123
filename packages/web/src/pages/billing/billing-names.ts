import type { BillingProvider } from '@llmlab/core';

/** The providers whose bills LLMLab reads, in core's order (importing BILLING_PROVIDERS would bundle zod). */
export const BILLING_NAMES: Record<BillingProvider, string> = { openai: 'OpenAI', anthropic: 'Anthropic' };
export const BILLING_PROVIDERS = Object.keys(BILLING_NAMES) as BillingProvider[];
