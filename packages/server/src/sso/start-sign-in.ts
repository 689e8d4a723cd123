import * as oidc from 'openid-client';
import type { AppContext } from '../context.js';
import { FLOW_TTL_MS, type SsoFlow } from './flow-cookie.js';

export const CALLBACK_PATH = '/api/auth/sso/callback';

/**
 * The identity provider's authorization URL for a new sign-in (authorization code flow with
 * PKCE, a state and a nonce), and the flow the callback will check it against.
 */
export async function startSignIn({ ctx, issuer, input }: { ctx: AppContext; issuer: () => Promise<oidc.Configuration>; input: { requestOrigin: string } }) {
  const configuration = await issuer();
  // Behind a proxy the request shows an internal address; LLMLAB_PUBLIC_URL is the one the provider must send the browser back to.
  const redirectUri = `${ctx.config.publicUrl ?? input.requestOrigin}${CALLBACK_PATH}`;
  const flow: SsoFlow = {
    state: oidc.randomState(),
    nonce: oidc.randomNonce(),
    codeVerifier: oidc.randomPKCECodeVerifier(),
    redirectUri,
    expiresAt: ctx.now() + FLOW_TTL_MS,
  };
  const url = oidc.buildAuthorizationUrl(configuration, {
    redirect_uri: redirectUri,
    scope: 'openid email profile',
    state: flow.state,
    nonce: flow.nonce,
    code_challenge: await oidc.calculatePKCECodeChallenge(flow.codeVerifier),
    code_challenge_method: 'S256',
  });
  return { url: url.href, flow };
}
