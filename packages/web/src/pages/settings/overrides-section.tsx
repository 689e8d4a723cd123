import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useCan } from '../../api/permissions';
import { useScope } from '../../api/session';
import type { PriceOverride } from '../../api/types';
import { ConfirmButton } from '../../components/confirm-button';
import { formatCount, formatDate, formatUsd } from '../../components/format';
import { Gate } from '../../components/gate';
import { ErrorState, errorMessage, Loading } from '../../components/states';

interface RepriceResult {
  examined: number;
  changed: number;
  newly_priced: number;
  now_unpriced: number;
  cost_before: number;
  cost_after: number;
}

function rate(v: number | null | undefined): string {
  return v === null || v === undefined ? '—' : `$${v}`;
}

export function OverridesSection() {
  const { api, projectId } = useScope();
  const queryClient = useQueryClient();
  const can = useCan('admin', 'change prices or re-price events');
  const overrides = useQuery({
    queryKey: ['overrides', projectId],
    queryFn: ({ signal }) => api.get<{ overrides: PriceOverride[] }>('/api/prices/overrides', undefined, signal),
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['overrides', projectId] });
  const reprice = useMutation({
    mutationFn: () => api.post<RepriceResult>('/api/prices/reprice', {}),
    // Costs changed: every chart and table must read them again.
    onSuccess: () => queryClient.invalidateQueries({ predicate: (q) => q.queryKey[0] !== 'me' }),
  });

  return (
    <section className="panel" aria-labelledby="overrides-title">
      <h2 id="overrides-title">Price overrides</h2>
      <p className="muted">
        Prices per million tokens in USD, for the whole organisation, from a date on. Use them for negotiated rates or models the
        catalog does not know; then re-price past events.
      </p>
      {overrides.isPending ? (
        <Loading />
      ) : overrides.error ? (
        <ErrorState error={overrides.error} onRetry={() => overrides.refetch()} />
      ) : overrides.data.overrides.length === 0 ? (
        <p className="muted">No override: every event is priced from the bundled catalog.</p>
      ) : (
        <div className="table-wrap">
          <table className="table" data-testid="overrides-table">
            <thead>
              <tr>
                <th scope="col">Model</th>
                <th scope="col">From</th>
                <th scope="col" className="num">
                  Input
                </th>
                <th scope="col" className="num">
                  Output
                </th>
                <th scope="col" className="num hide-sm">
                  Cache read
                </th>
                <th scope="col" className="num hide-sm">
                  Cache write
                </th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {overrides.data.overrides.map((o) => (
                <OverrideRow key={o.id} override={o} onChanged={refresh} disabled={!can.allowed} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Gate permission={can}>
        <NewOverrideForm onCreated={refresh} />
        <div className="reprice">
          <button type="button" className="btn" onClick={() => reprice.mutate()} disabled={reprice.isPending}>
            {reprice.isPending ? 'Re-pricing…' : 'Re-price this project’s events'}
          </button>
          <div aria-live="polite">
            {reprice.data && (
              <p className="small">
                Examined {formatCount(reprice.data.examined)} events: {formatCount(reprice.data.changed)} changed,{' '}
                {formatCount(reprice.data.newly_priced)} newly priced. Total {formatUsd(reprice.data.cost_before)} →{' '}
                {formatUsd(reprice.data.cost_after)}.
              </p>
            )}
            {reprice.error && <p className="form-error">{errorMessage(reprice.error)}</p>}
          </div>
        </div>
      </Gate>
    </section>
  );
}

function OverrideRow({
  override: o,
  onChanged,
  disabled,
}: {
  override: PriceOverride;
  onChanged: () => Promise<unknown>;
  disabled: boolean;
}) {
  const { api } = useScope();
  const remove = useMutation({ mutationFn: () => api.del(`/api/prices/overrides/${o.id}`), onSuccess: onChanged });
  return (
    <tr>
      <th scope="row">
        {o.provider}/{o.model}
      </th>
      <td>{formatDate(o.effective_from)}</td>
      <td className="num">{rate(o.input_mtok)}</td>
      <td className="num">{rate(o.output_mtok)}</td>
      <td className="num hide-sm">{rate(o.cache_read_mtok)}</td>
      <td className="num hide-sm">{rate(o.cache_write_mtok)}</td>
      <td>
        <ConfirmButton
          label="Delete"
          confirmLabel="Delete override"
          onConfirm={() => remove.mutate()}
          busy={remove.isPending}
          disabled={disabled}
        />
      </td>
    </tr>
  );
}

function optionalNumber(v: string): number | undefined {
  return v.trim() === '' ? undefined : Number(v);
}

function NewOverrideForm({ onCreated }: { onCreated: () => Promise<unknown> }) {
  const { api } = useScope();
  const [f, setF] = useState({
    provider: '',
    model: '',
    effective_from: '',
    input: '',
    output: '',
    cacheRead: '',
    cacheWrite: '',
  });
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (k: keyof typeof f) => (e: { target: { value: string } }) => setF({ ...f, [k]: e.target.value });

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const prices = [f.input, f.output, f.cacheRead, f.cacheWrite].map(optionalNumber);
    if (prices.some((p) => p !== undefined && (!Number.isFinite(p) || p < 0)))
      return setError('Prices must be numbers of USD, 0 or more.');
    setBusy(true);
    setError(null);
    try {
      await api.post('/api/prices/overrides', {
        provider: f.provider.trim(),
        model: f.model.trim(),
        ...(f.effective_from ? { effective_from: f.effective_from } : {}),
        input_mtok: prices[0],
        output_mtok: prices[1],
        ...(prices[2] !== undefined ? { cache_read_mtok: prices[2] } : {}),
        ...(prices[3] !== undefined ? { cache_write_mtok: prices[3] } : {}),
      });
      setF({ provider: '', model: '', effective_from: '', input: '', output: '', cacheRead: '', cacheWrite: '' });
      await onCreated();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="form form-grid" onSubmit={submit} aria-label="New price override">
      <label className="field">
        <span>Provider</span>
        <input required value={f.provider} onChange={set('provider')} placeholder="openai" />
      </label>
      <label className="field">
        <span>Model</span>
        <input required value={f.model} onChange={set('model')} placeholder="gpt-4o" />
      </label>
      <label className="field">
        <span>Effective from (UTC date, empty = now)</span>
        <input type="date" value={f.effective_from} onChange={set('effective_from')} />
      </label>
      <label className="field">
        <span>Input $/M tokens</span>
        <input required inputMode="decimal" value={f.input} onChange={set('input')} placeholder="2.50" />
      </label>
      <label className="field">
        <span>Output $/M tokens</span>
        <input required inputMode="decimal" value={f.output} onChange={set('output')} placeholder="10" />
      </label>
      <label className="field">
        <span>Cache read $/M (optional)</span>
        <input inputMode="decimal" value={f.cacheRead} onChange={set('cacheRead')} />
      </label>
      <label className="field">
        <span>Cache write $/M (optional)</span>
        <input inputMode="decimal" value={f.cacheWrite} onChange={set('cacheWrite')} />
      </label>
      <div className="form-actions">
        <button type="submit" className="btn" disabled={busy}>
          Add override
        </button>
      </div>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
