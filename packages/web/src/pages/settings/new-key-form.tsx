import { type FormEvent, useState } from 'react';
import { useCan } from '../../api/permissions';
import { useScope } from '../../api/session';
import type { ApiKey } from '../../api/types';
import { PermissionNote } from '../../components/gate';
import { errorMessage } from '../../components/states';

const SCOPES = [
  { value: 'ingest', hint: 'send events' },
  { value: 'read', hint: 'read costs and events' },
  { value: 'admin', hint: 'budgets, keys, prices' },
] as const;

/** The optional limits of a new key, as typed: empty fields add nothing to the request. */
interface LimitFields {
  budget: string;
  rpm: string;
  models: string;
  expires: string;
}

const NO_LIMITS: LimitFields = { budget: '', rpm: '', models: '', expires: '' };

/**
 * The request body's limits; the server checks the values and names a wrong one.
 * @example limitsBody({ budget: '5', rpm: '', models: 'a, b', expires: '' }) // { budget: { amount: 5 }, allowed_models: ['a', 'b'] }
 */
export function limitsBody(f: LimitFields): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (f.budget.trim()) body.budget = { amount: Number(f.budget) };
  if (f.rpm.trim()) body.rate_limit = { requests_per_minute: Number(f.rpm) };
  const models = f.models.split(',').map((m) => m.trim()).filter(Boolean);
  if (models.length) body.allowed_models = [...new Set(models)];
  // A date means the start of that day in UTC, as `llmlab keys create --expires` reads it.
  if (f.expires) body.expires_at = `${f.expires}T00:00:00.000Z`;
  return body;
}

export function NewKeyForm({ onCreated }: { onCreated: (k: ApiKey & { key: string }) => Promise<void> }) {
  const { api } = useScope();
  // A key never outranks the person who made it: members make ingest and read keys only.
  const adminScope = useCan('admin', 'make keys with the admin scope');
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<string[]>(['ingest', 'read']);
  const [limits, setLimits] = useState<LimitFields>(NO_LIMITS);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const toggle = (s: string) => setScopes((cur) => (cur.includes(s) ? cur.filter((x) => x !== s) : [...cur, s]));
  const limit = (field: keyof LimitFields) => ({
    value: limits[field],
    onChange: (e: { target: { value: string } }) => setLimits((cur) => ({ ...cur, [field]: e.target.value })),
  });

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (scopes.length === 0) return setError('Choose at least one scope.');
    setBusy(true);
    setError(null);
    try {
      const k = await api.post<ApiKey & { key: string }>('/api/keys', { name: name.trim(), scopes, ...limitsBody(limits) });
      setName('');
      setLimits(NO_LIMITS);
      await onCreated(k);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="form form-inline" onSubmit={submit} aria-label="New API key">
      <label className="field field-grow">
        <span>Key name</span>
        <input required maxLength={100} value={name} onChange={(e) => setName(e.target.value)} placeholder="production backend" />
      </label>
      <fieldset className="field-set field-set-inline">
        <legend>Scopes</legend>
        {SCOPES.map((s) => (
          <label key={s.value} className="field-check">
            <input
              type="checkbox"
              checked={scopes.includes(s.value)}
              onChange={() => toggle(s.value)}
              disabled={s.value === 'admin' && !adminScope.allowed}
            />
            <span>
              {s.value} <span className="muted small">({s.hint})</span>
            </span>
          </label>
        ))}
      </fieldset>
      <PermissionNote permission={adminScope} />
      <fieldset className="field-set field-set-inline">
        <legend>Limits (optional)</legend>
        <label className="field">
          <span>Monthly budget (USD)</span>
          <input type="number" min="0.01" step="0.01" inputMode="decimal" placeholder="no budget" {...limit('budget')} />
        </label>
        <label className="field">
          <span>Requests per minute</span>
          <input type="number" min="1" step="1" inputMode="numeric" placeholder="no limit" {...limit('rpm')} />
        </label>
        <label className="field field-grow">
          <span>Allowed models</span>
          <input maxLength={2000} placeholder="any; or gpt-4o-mini, claude-3-5-haiku" {...limit('models')} />
        </label>
        <label className="field">
          <span>Expires on</span>
          <input type="date" {...limit('expires')} />
        </label>
      </fieldset>
      <button type="submit" className="btn btn-primary" disabled={busy || !name.trim()}>
        Create key
      </button>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
