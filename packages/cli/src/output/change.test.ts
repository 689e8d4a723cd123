import { describe, expect, it } from 'vitest';
import { summarizeChange } from './change.js';

describe('summarizeChange', () => {
  it('names only the fields that changed, old value first', () => {
    expect(summarizeChange({ role: 'member' }, { role: 'admin' })).toBe('role member → admin');
    expect(summarizeChange({ amount: 100, period: 'monthly', hard_limit: false }, { amount: 250, period: 'monthly', hard_limit: true })).toBe(
      'amount 100 → 250, hard_limit false → true',
    );
    expect(summarizeChange({ scope: { feature: 'chat' } }, { scope: null })).toBe('scope {"feature":"chat"} → none');
  });

  it('lists what a created or deleted target held, without its ids', () => {
    expect(summarizeChange(null, { email: 'ana@example.com', role: 'member', expires_at: '2026-12-04' })).toBe(
      'email=ana@example.com role=member expires_at=2026-12-04',
    );
    expect(summarizeChange({ user_id: '0190a', email: 'ana@example.com', role: 'admin' }, null)).toBe('email=ana@example.com role=admin');
    expect(summarizeChange(null, { name: 'ci', scopes: ['ingest', 'read'] })).toBe('name=ci scopes=ingest,read');
    expect(summarizeChange(null, null)).toBe('');
  });

  it('cuts a long summary to the width with an ellipsis', () => {
    const summary = summarizeChange(null, { note: 'x'.repeat(100) }, 20);
    expect(summary).toBe(`note=${'x'.repeat(14)}…`);
    expect(summary).toHaveLength(20);
  });
});
