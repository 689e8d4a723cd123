import type { BillingConnectionAnswer, BillingProvider, ReconcileAnswer } from '@llmlab/core';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { useCan } from '../../api/permissions';
import { useScope } from '../../api/session';
import { ConfirmButton } from '../../components/confirm-button';
import { formatTime, formatUsd } from '../../components/format';
import { Gate } from '../../components/gate';
import { ProviderSelect } from '../../components/provider-select';
import { errorMessage } from '../../components/states';
import { BILLING_NAMES, BILLING_PROVIDERS } from './billing-names';

type Connection = BillingConnectionAnswer;
type Changed = () => Promise<unknown>;

function thresholdText(c: Connection): string {
  const parts = [c.alert_threshold_usd !== null && `${formatUsd(c.alert_threshold_usd)}`, c.alert_threshold_pct !== null && `${c.alert_threshold_pct}% of the bill`].filter(Boolean);
  return parts.length ? `a settled day off by at least ${parts.join(' and ')}` : 'no alert';
}

function ConnectionRow({ c, onChanged, canEdit }: { c: Connection; onChanged: Changed; canEdit: boolean }) {
  const { api } = useScope();
  const name = BILLING_NAMES[c.provider];
  const remove = useMutation({ mutationFn: () => api.del(`/api/billing/connections/${c.provider}`), onSuccess: onChanged });
  return (
    <tr data-provider={c.provider}>
      <th scope="row">{name}</th>
      <td>
        <code data-testid="billing-key-hint">{c.hint}</code>
      </td>
      <td data-testid="billing-sync">
        {c.last_sync_status === null ? (
          <span className="muted">Not read yet</span>
        ) : c.last_sync_status === 'ok' ? (
          <span className="ok-text">Read {formatTime(c.last_sync_at)}</span>
        ) : (
          <span className="error-text" role="status">
            Failed {formatTime(c.last_sync_at)}: {c.last_error}
          </span>
        )}
      </td>
      <td className="small">Alerts on {thresholdText(c)}</td>
      <td>{canEdit && <ConfirmButton label="Remove" confirmLabel={`Remove ${name} connection`} onConfirm={() => remove.mutate()} busy={remove.isPending} />}</td>
    </tr>
  );
}

const numberOrNull = (text: string) => (text.trim() === '' ? null : Number(text));

/** Stores a provider's admin key with the alert thresholds (empty: none); an existing key is replaced. */
function ConnectionForm({ connections, onSaved }: { connections: Connection[]; onSaved: Changed }) {
  const { api } = useScope();
  const [provider, setProvider] = useState<BillingProvider>('openai');
  const [key, setKey] = useState('');
  const [usd, setUsd] = useState('');
  const [pct, setPct] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const stored = connections.find((c) => c.provider === provider);
  // The thresholds shown are the provider's stored ones, so saving without a key keeps what is not changed.
  useEffect(() => {
    setUsd(stored?.alert_threshold_usd == null ? '' : String(stored.alert_threshold_usd));
    setPct(stored?.alert_threshold_pct == null ? '' : String(stored.alert_threshold_pct));
  }, [stored?.alert_threshold_usd, stored?.alert_threshold_pct]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setSaved(null);
    try {
      const thresholds = { alert_threshold_usd: numberOrNull(usd), alert_threshold_pct: numberOrNull(pct) };
      if (key.trim()) await api.put<Connection>(`/api/billing/connections/${provider}`, { admin_key: key.trim(), ...thresholds });
      else await api.patch<Connection>(`/api/billing/connections/${provider}`, thresholds);
      setKey('');
      await onSaved();
      setSaved(`${BILLING_NAMES[provider]} saved.`);
    } catch (err) {
      setError(errorMessage(err));
    }
  };

  return (
    <form className="form form-inline" onSubmit={submit} aria-label="Connect a provider's bill">
      <ProviderSelect providers={BILLING_PROVIDERS} names={BILLING_NAMES} value={provider} onChange={setProvider} />
      <label className="field field-grow">
        <span>Admin key</span>
        <input type="password" autoComplete="off" maxLength={512} required={!stored} value={key} onChange={(e) => setKey(e.target.value)} placeholder={stored ? `keeps ${stored.hint}; type to replace` : provider === 'openai' ? 'sk-admin-…' : 'sk-ant-admin…'} />
      </label>
      <label className="field">
        <span>Alert at USD off</span>
        <input type="number" min="0" step="any" inputMode="decimal" value={usd} onChange={(e) => setUsd(e.target.value)} placeholder="none" />
      </label>
      <label className="field">
        <span>and % of bill off</span>
        <input type="number" min="0" step="any" inputMode="decimal" value={pct} onChange={(e) => setPct(e.target.value)} placeholder="none" />
      </label>
      <button type="submit" className="btn">
        Save connection
      </button>
      <span aria-live="polite" className="small">
        {saved && <span className="ok-text">{saved}</span>}
      </span>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}

/** The org's admin keys per provider with their last sync, and, for admins, storing them and reading the bills now. */
export function ConnectionsSection({ connections, onChanged }: { connections: Connection[]; onChanged: Changed }) {
  const { api } = useScope();
  const can = useCan('admin', 'connect provider bills');
  const reconcile = useMutation({ mutationFn: () => api.post<ReconcileAnswer>('/api/billing/reconcile', {}), onSettled: onChanged });
  return (
    <section className="panel" aria-labelledby="billing-connections-title" data-testid="billing-connections">
      <h2 id="billing-connections-title">Provider bills</h2>
      <p className="muted small">An admin key reads the whole provider organization&apos;s costs; it is stored encrypted and never shown again. LLMLab reads the last 4 days every day.</p>
      {connections.length > 0 && (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Provider</th>
                <th scope="col">Admin key</th>
                <th scope="col">Last read</th>
                <th scope="col">Alert</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {connections.map((c) => (
                <ConnectionRow key={c.provider} c={c} onChanged={onChanged} canEdit={can.allowed} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Gate permission={can}>
        <ConnectionForm connections={connections} onSaved={onChanged} />
        {connections.length > 0 && (
          <p>
            <button type="button" className="btn" onClick={() => reconcile.mutate()} disabled={reconcile.isPending}>
              {reconcile.isPending ? 'Reading the bills…' : 'Read the bills now'}
            </button>{' '}
            {reconcile.data && <span className="ok-text small">Read {reconcile.data.synced.map((s) => `${BILLING_NAMES[s.provider]} (${s.days} days)`).join(', ')}.</span>}
            {reconcile.error && <span className="error-text small" role="alert">{errorMessage(reconcile.error)}</span>}
          </p>
        )}
      </Gate>
    </section>
  );
}
