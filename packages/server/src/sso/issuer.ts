import { AppError } from '@llmlab/core';
import * as oidc from 'openid-client';
import type { OidcConfig } from '../config/config.js';
import { isLoopback } from '../config/config.js';
import type { Logger } from '../context.js';

/** Seconds LLMLab waits for the identity provider (discovery, keys, the code exchange) before giving up. */
const ISSUER_TIMEOUT_S = 10;

/**
 * The identity provider as openid-client knows it, discovered on the first sign-in rather than at
 * start, so the server starts while the provider is down. A failed discovery is not kept: the next
 * sign-in tries again. Its signing keys are fetched and cached by openid-client (and fetched
 * again when a token names a key it has not seen, as when the provider rotates them).
 */
export function issuerClient(settings: OidcConfig, log: Logger): () => Promise<oidc.Configuration> {
  let pending: Promise<oidc.Configuration> | null = null;
  return () => {
    pending ??= discover(settings).catch((err: unknown) => {
      pending = null;
      log.warn('single sign-on: the identity provider could not be reached', { issuer: settings.issuer, error: String(err) });
      throw new AppError('bad_gateway', `the identity provider (${settings.issuer}) could not be reached; try again in a moment`);
    });
    return pending;
  };
}

async function discover(settings: OidcConfig): Promise<oidc.Configuration> {
  const issuer = new URL(settings.issuer);
  // The client secret, when there is one, goes in the Authorization header: what OpenID Connect
  // providers assume when a client registers no other method.
  const auth = settings.clientSecret ? oidc.ClientSecretBasic(settings.clientSecret) : oidc.None();
  // config.ts refuses http:// except on this machine (an issuer for development or tests).
  const execute = issuer.protocol === 'http:' && isLoopback(issuer.hostname) ? [oidc.allowInsecureRequests] : [];
  return oidc.discovery(issuer, settings.clientId, undefined, auth, { execute, timeout: ISSUER_TIMEOUT_S });
}
