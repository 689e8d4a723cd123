import { AppError } from '@llmlab/core';
import * as oidc from 'openid-client';
import type { SsoFlow } from './flow-cookie.js';

/** Who the identity provider says signed in. */
export interface SsoIdentity {
  /** Lower-case, and verified by the provider. */
  email: string;
  name: string | null;
}

const START_AGAIN = 'start again from the log-in page';

/**
 * Checks the provider's answer against the flow this browser started (state), exchanges the code
 * (PKCE verifier) and verifies the ID token (signature against the issuer's keys, issuer,
 * audience, expiry, nonce), all with openid-client. The email comes from the ID token, or from
 * the userinfo endpoint when the provider keeps it out of the ID token.
 */
export async function finishSignIn({ issuer, input }: { issuer: () => Promise<oidc.Configuration>; input: { flow: SsoFlow | null; query: Record<string, string> } }): Promise<SsoIdentity> {
  const { flow, query } = input;
  if (!flow) throw new AppError('bad_request', `this sign-in expired or was started in another browser; ${START_AGAIN}`);
  if (query.state !== flow.state) throw new AppError('bad_request', `the answer of the identity provider does not belong to the sign-in this browser started (state mismatch); ${START_AGAIN}`);
  const configuration = await issuer();
  const callbackUrl = new URL(flow.redirectUri);
  for (const [k, v] of Object.entries(query)) callbackUrl.searchParams.set(k, v);
  try {
    const tokens = await oidc.authorizationCodeGrant(configuration, callbackUrl, {
      pkceCodeVerifier: flow.codeVerifier,
      expectedState: flow.state,
      expectedNonce: flow.nonce,
      idTokenExpected: true,
    });
    const idClaims = tokens.claims() as oidc.IDToken;
    const claims: Record<string, unknown> = idClaims.email === undefined ? { ...(await oidc.fetchUserInfo(configuration, tokens.access_token, idClaims.sub)), ...idClaims } : idClaims;
    return identityOf(claims);
  } catch (err) {
    throw err instanceof AppError ? err : asSignInError(err);
  }
}

function identityOf(claims: Record<string, unknown>): SsoIdentity {
  if (typeof claims.email !== 'string' || claims.email === '') {
    throw new AppError('forbidden', 'the identity provider did not share an email address: allow the "email" scope for LLMLab there');
  }
  // A few providers send the boolean as a string.
  if (claims.email_verified !== true && claims.email_verified !== 'true') {
    throw new AppError('forbidden', `the identity provider has not verified ${claims.email}; verify the address there and sign in again`);
  }
  return { email: claims.email.trim().toLowerCase(), name: typeof claims.name === 'string' && claims.name.trim() ? claims.name.trim().slice(0, 100) : null };
}

/** The provider failed to answer, rather than answered something that failed a check. */
const UNREACHABLE = new Set(['OAUTH_RESPONSE_IS_NOT_CONFORM', 'OAUTH_RESPONSE_IS_NOT_JSON', 'OAUTH_TIMEOUT', 'OAUTH_ABORT']);

/** The provider's refusals and the failed checks as the error the user sees; anything else stays a bug (500). */
function asSignInError(err: unknown): unknown {
  const described = (e: { error: string; error_description?: string }) => `${e.error}${e.error_description ? ` (${e.error_description})` : ''}`;
  if (err instanceof oidc.AuthorizationResponseError) return new AppError('bad_request', `the identity provider refused the sign-in: ${described(err)}`);
  if (err instanceof oidc.ResponseBodyError) return new AppError('unauthorized', `the identity provider refused to exchange the sign-in code: ${described(err)}; ${START_AGAIN}`);
  if (err instanceof oidc.ClientError && err.code) {
    // The cause names the check that failed, e.g. 'unexpected JWT "aud" (audience) claim value'.
    const reason = err.cause instanceof Error ? err.cause.message : err.message;
    return UNREACHABLE.has(err.code)
      ? new AppError('bad_gateway', `the identity provider did not answer as expected (${reason}); try again in a moment`)
      : new AppError('unauthorized', `the identity provider's answer failed verification: ${reason}`);
  }
  // fetch() rejects with this TypeError when the provider cannot be reached at all.
  if (err instanceof TypeError && err.message === 'fetch failed') return new AppError('bad_gateway', 'the identity provider could not be reached; try again in a moment');
  return err;
}
