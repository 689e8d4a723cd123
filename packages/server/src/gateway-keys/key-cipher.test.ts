import { describe, expect, it } from 'vitest';
import { decryptProviderKey, encryptProviderKey } from './key-cipher.js';

const SECRET = 's'.repeat(40);

describe('provider key encryption', () => {
  it('round-trips, never stores the key in clear, and uses a fresh IV each time', () => {
    const a = encryptProviderKey(SECRET, 'p1', 'openai', 'sk-live-abcdef');
    const b = encryptProviderKey(SECRET, 'p1', 'openai', 'sk-live-abcdef');
    expect(a).toMatch(/^v1\.[A-Za-z0-9_-]+$/);
    expect(a).not.toContain('sk-live');
    expect(a).not.toBe(b);
    expect(decryptProviderKey(SECRET, 'p1', 'openai', a)).toBe('sk-live-abcdef');
  });

  it('refuses another secret, another project or provider, and a tampered ciphertext', () => {
    const stored = encryptProviderKey(SECRET, 'p1', 'openai', 'sk-live-abcdef');
    expect(() => decryptProviderKey('t'.repeat(40), 'p1', 'openai', stored)).toThrow();
    expect(() => decryptProviderKey(SECRET, 'p2', 'openai', stored)).toThrow();
    expect(() => decryptProviderKey(SECRET, 'p1', 'anthropic', stored)).toThrow();
    const raw = Buffer.from(stored.slice(3), 'base64url');
    raw[raw.length - 1] ^= 1;
    expect(() => decryptProviderKey(SECRET, 'p1', 'openai', `v1.${raw.toString('base64url')}`)).toThrow();
  });
});
