import { describe, expect, it } from 'vitest';
import { openFlow, sealFlow, type SsoFlow } from './flow-cookie.js';

const SECRET = 's'.repeat(32);
const flow: SsoFlow = { state: 'st', nonce: 'no', codeVerifier: 'ver', redirectUri: 'https://llmlab.example.com/api/auth/sso/callback', expiresAt: 2_000 };

describe('the sign-in flow cookie', () => {
  it('opens to the flow it sealed until it expires, and hides the PKCE verifier', () => {
    const sealed = sealFlow(SECRET, flow);
    expect(openFlow(SECRET, sealed, 1_999)).toEqual(flow);
    expect(openFlow(SECRET, sealed, 2_000)).toBeNull();
    expect(Buffer.from(sealed, 'base64url').toString('latin1')).not.toContain('ver');
  });

  it('opens to nothing when missing, changed by one bit, cut short, or sealed under another secret', () => {
    const sealed = sealFlow(SECRET, flow);
    const raw = Buffer.from(sealed, 'base64url');
    raw[raw.length - 1] ^= 1;
    expect(openFlow(SECRET, undefined, 0)).toBeNull();
    expect(openFlow(SECRET, raw.toString('base64url'), 0)).toBeNull();
    expect(openFlow(SECRET, sealed.slice(0, 20), 0)).toBeNull();
    expect(openFlow('t'.repeat(32), sealed, 0)).toBeNull();
  });
});
