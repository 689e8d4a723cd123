import { GATEWAY_ROUTES } from '@llmlab/core';
import type { Config } from '../../src/config/config.js';

/** Points every gateway route of an in-process server at one local upstream, so no proxied call leaves the machine. */
export function pointGatewayAt(config: Config, url: string): void {
  config.openaiBaseUrl = url;
  config.anthropicBaseUrl = url;
  for (const route of GATEWAY_ROUTES) if (route !== 'openai' && route !== 'anthropic') config.upstreams[route] = url;
}
