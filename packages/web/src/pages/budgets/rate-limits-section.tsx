import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { type Permission, useCan } from '../../api/permissions';
import { useScope } from '../../api/session';
import type { RateLimit } from '../../api/types';
import { ConfirmButton } from '../../components/confirm-button';
import { Gate } from '../../components/gate';
import { ErrorState, errorMessage, Loading } from '../../components/states';
import { describeRates } from '../settings/key-limits';
import { PER_LABELS, PERS } from './budget-scope';

/** What a rate limit counts, in words: its scope's fields, or every call. */
function describeCounted(l: RateLimit): string {
  const scope = l.scope ? Object.entries(l.scope).map(([field, value]) => `${field.replace('_', ' ')} ${value}`) : [];
  const counted = scope.length ? `calls with ${scope.join(', ')}` : 'every call of the project';
  return l.per ? `Each ${PER_LABELS[l.per]} has its own window; counts ${counted}` : `Counts ${counted}`;
}

/** Rate limits hold back calls through the SDK and proxy; admins change them, everyone reads them. */
export function RateLimitsSection() {
  const { api, projectId } = useScope();
  const queryClient = useQueryClient();
  const manage = useCan('admin', 'create or delete rate limits');
  const limits = useQuery({
    queryKey: ['rate-limits', projectId],
    queryFn: ({ signal }) => api.get<{ rate_limits: RateLimit[] }>('/api/rate-limits', undefined, signal),
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['rate-limits', projectId] });

  return (
    <section className="panel" aria-labelledby="rate-limits-title">
      <h2 id="rate-limits-title">Rate limits</h2>
      {limits.isPending ? (
        <Loading />
      ) : limits.error ? (
        <ErrorState error={limits.error} onRetry={() => limits.refetch()} />
      ) : limits.data.rate_limits.length === 0 ? (
        <p className="muted">No rate limit yet: the SDK and proxy let every call through, however fast.</p>
      ) : (
        <ul className="budget-list">
          {limits.data.rate_limits.map((l) => (
            <RateLimitItem key={l.id} limit={l} onChanged={refresh} manage={manage} />
          ))}
        </ul>
      )}
      <Gate permission={manage}>
        <NewRateLimitForm onCreated={refresh} />
      </Gate>
    </section>
  );
}

function RateLimitItem({ limit: l, onChanged, manage }: { limit: RateLimit; onChanged: () => Promise<unknown>; manage: Permission }) {
  const { api } = useScope();
  const remove = useMutation({ mutationFn: () => api.del(`/api/rate-limits/${l.id}`), onSuccess: onChanged });
  return (
    <li className="budget-item" data-testid="rate-limit-item" data-rate-limit-name={l.name}>
      <strong>{l.name}</strong> <span data-testid="rate-limit-rates">{describeRates(l)}</span>
      <p className="muted small">{describeCounted(l)}</p>
      <div className="row-actions">
        <ConfirmButton
          label="Delete"
          confirmLabel={`Delete ${l.name}`}
          onConfirm={() => remove.mutate()}
          busy={remove.isPending}
          disabled={!manage.allowed}
        />
      </div>
      {remove.error && (
        <p className="form-error" role="alert">
          {errorMessage(remove.error)}
        </p>
      )}
    </li>
  );
}

const EMPTY = { name: '', rpm: '', tpm: '', costPerHour: '', per: '' };

function NewRateLimitForm({ onCreated }: { onCreated: () => Promise<unknown> }) {
  const { api } = useScope();
  const [form, setForm] = useState(EMPTY);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const field = (name: keyof typeof EMPTY) => ({
    value: form[name],
    onChange: (e: { target: { value: string } }) => setForm((cur) => ({ ...cur, [name]: e.target.value })),
  });
  const number = (value: string) => (value.trim() ? Number(value) : undefined);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!form.rpm.trim() && !form.tpm.trim() && !form.costPerHour.trim()) {
      return setError('Give at least one limit: requests, tokens or cost.');
    }
    setBusy(true);
    setError(null);
    try {
      await api.post<RateLimit>('/api/rate-limits', {
        name: form.name.trim() || undefined,
        requests_per_minute: number(form.rpm),
        tokens_per_minute: number(form.tpm),
        cost_per_hour: number(form.costPerHour),
        per: form.per || undefined,
      });
      setForm(EMPTY);
      await onCreated();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="form form-inline" onSubmit={submit} aria-label="New rate limit">
      <label className="field field-grow">
        <span>Rate limit name</span>
        <input maxLength={100} placeholder="per customer" {...field('name')} />
      </label>
      <label className="field">
        <span>Requests/min</span>
        <input type="number" min="1" step="1" {...field('rpm')} />
      </label>
      <label className="field">
        <span>Tokens/min</span>
        <input type="number" min="1" step="1" {...field('tpm')} />
      </label>
      <label className="field">
        <span>Cost/hour (USD)</span>
        <input type="number" min="0.01" step="0.01" {...field('costPerHour')} />
      </label>
      <label className="field">
        <span>Per</span>
        <select {...field('per')}>
          <option value="">whole project</option>
          {PERS.map((p) => (
            <option key={p} value={p}>
              each {PER_LABELS[p]}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" className="btn btn-primary" disabled={busy}>
        Create rate limit
      </button>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
