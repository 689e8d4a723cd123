import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/** What the callback needs from the start of a sign-in: kept in the browser, so any server process can finish it. */
export interface SsoFlow {
  state: string;
  nonce: string;
  codeVerifier: string;
  /** The redirect URI sent to the issuer; the code exchange must send the same one. */
  redirectUri: string;
  expiresAt: number;
}

export const FLOW_COOKIE = 'llmlab_sso';
/** Long enough to type a password and approve a consent page, short enough that a stale flow is useless. */
export const FLOW_TTL_MS = 10 * 60_000;

const IV_BYTES = 12;
const TAG_BYTES = 16;
const AAD = Buffer.from('llmlab-sso-flow/v1');

/** Its own key (HKDF of the server secret), so the cookie cannot be confused with any other sealed value. */
function deriveKey(secret: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, 'llmlab-sso-flow', 'aes-256-gcm/v1', 32));
}

/**
 * AES-256-GCM, so the browser can neither read the PKCE verifier nor change any field:
 * `base64url(iv | tag | ciphertext)`.
 */
export function sealFlow(secret: string, flow: SsoFlow): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', deriveKey(secret), iv);
  cipher.setAAD(AAD);
  const body = Buffer.concat([cipher.update(JSON.stringify(flow), 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
}

/** The flow, or null when the cookie is missing, tampered with, sealed under another secret or expired. */
export function openFlow(secret: string, sealed: string | undefined, now: number): SsoFlow | null {
  if (!sealed) return null;
  try {
    const raw = Buffer.from(sealed, 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', deriveKey(secret), raw.subarray(0, IV_BYTES));
    decipher.setAAD(AAD);
    decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    const flow = JSON.parse(Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8')) as SsoFlow;
    return flow.expiresAt > now ? flow : null;
  } catch {
    return null;
  }
}
