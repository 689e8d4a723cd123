import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hashRequest } from './request-hash.js';

describe('hashRequest', () => {
  const messages = [{ role: 'user', content: 'Summarise this contract' }];

  it('is the SHA-256 of the canonical body, key order and undefined fields ignored', () => {
    const a = hashRequest({ model: 'gpt-4o', messages, temperature: undefined });
    expect(a).toBe(hashRequest({ messages, model: 'gpt-4o' }));
    const canonical = '{"messages":[{"content":"Summarise this contract","role":"user"}],"model":"gpt-4o"}';
    expect(a).toBe(createHash('sha256').update(canonical).digest('hex'));
  });

  it('changes with any part of the request and never contains the prompt', () => {
    const base = hashRequest({ model: 'gpt-4o', messages });
    expect(hashRequest({ model: 'gpt-4o-mini', messages })).not.toBe(base);
    expect(hashRequest({ model: 'gpt-4o', messages: [{ role: 'user', content: 'Summarise this contract!' }] })).not.toBe(base);
    expect(base).not.toContain('contract');
  });
});
