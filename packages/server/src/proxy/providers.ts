import type { GatewayProvider } from '@llmlab/core';
import { anthropic } from './providers/anthropic.js';
import { cohere } from './providers/cohere.js';
import { google } from './providers/google.js';
import { azure, compatibleHosts, openai } from './providers/openai.js';
import type { ProviderSpec } from './providers/provider-spec.js';

export * from './providers/provider-spec.js';

/** Every provider the gateway forwards to, by route (docs/gateway.md has the table). */
export const PROVIDERS: Record<GatewayProvider, ProviderSpec> = Object.fromEntries(
  [openai, anthropic, google, azure, cohere, ...compatibleHosts].map((spec) => [spec.name, spec]),
) as Record<GatewayProvider, ProviderSpec>;
