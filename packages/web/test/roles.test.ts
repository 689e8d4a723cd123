import { describe, expect, it } from 'vitest';
import { permission, roleAtLeast } from '../src/api/permissions';
import { diffFields } from '../src/pages/audit/audit-diff';
import { auditQuery, checkFilters, NO_FILTERS } from '../src/pages/audit/audit-query';

describe('what a role may do', () => {
  it.each([
    ['owner', 'admin', true],
    ['admin', 'admin', true],
    ['member', 'admin', false],
    ['viewer', 'member', false],
    ['member', 'member', true],
    ['admin', 'owner', false],
    [null, 'viewer', false],
  ] as const)('%s at least %s: %s', (role, least, allowed) => {
    expect(roleAtLeast(role, least)).toBe(allowed);
  });

  it('says why not and whom to ask', () => {
    expect(permission('viewer', 'admin', 'change budgets', 'Acme')).toEqual({
      allowed: false,
      reason: "Viewers can't change budgets: ask an admin of Acme.",
    });
    expect(permission('admin', 'owner', 'change owners', 'Acme').reason).toBe("Admins can't change owners: ask an owner of Acme.");
    expect(permission('admin', 'admin', 'change budgets', 'Acme')).toEqual({ allowed: true, reason: null });
  });
});

describe('the audit log', () => {
  it('shows a role change as the one field that changed', () => {
    expect(diffFields({ role: 'viewer' }, { role: 'admin' })).toEqual([{ field: 'role', before: 'viewer', after: 'admin' }]);
  });

  it('lists every field of a created or deleted target, and only changed fields of an update', () => {
    expect(diffFields(null, { email: 'a@example.com', role: 'viewer' })).toEqual([
      { field: 'email', after: 'a@example.com' },
      { field: 'role', after: 'viewer' },
    ]);
    expect(diffFields({ name: 'ci', scopes: ['read'] }, null)).toEqual([
      { field: 'name', before: 'ci' },
      { field: 'scopes', before: '["read"]' },
    ]);
    expect(diffFields({ amount: 100, period: 'monthly', thresholds: [50, 80] }, { amount: 250, period: 'monthly', thresholds: [50, 80] })).toEqual([
      { field: 'amount', before: '100', after: '250' },
    ]);
    expect(diffFields({ a: 1 }, { a: 1 })).toEqual([]);
  });

  it('cuts long values so a row stays one glance wide', () => {
    const [change] = diffFields(null, { prompt: 'x'.repeat(500) });
    expect(change.after).toHaveLength(80);
    expect(change.after?.endsWith('…')).toBe(true);
  });

  it('asks for whole local days, the "to" day included', () => {
    const q = auditQuery({ from: '2026-11-01', to: '2026-11-03', actor: ' ada@example.com ', action: 'budget.updated' }, 'Europe/Paris');
    expect(q).toEqual({
      from: '2026-10-31T23:00:00.000Z',
      to: '2026-11-03T23:00:00.000Z',
      actor: 'ada@example.com',
      action: 'budget.updated',
    });
    expect(auditQuery(NO_FILTERS, 'UTC')).toEqual({});
    expect(checkFilters({ ...NO_FILTERS, from: '2026-11-03', to: '2026-11-01' })).toMatch(/before/);
  });
});
