import { type FormEvent, useState } from 'react';
import type { Budget, BudgetInput, BudgetPeriod } from '../../api/types';
import { errorMessage } from '../../components/states';
import { draftOf, ScopeFields, scopeOfDraft } from './scope-fields';

const PERIODS: BudgetPeriod[] = ['monthly', 'weekly', 'daily'];

/** "50, 80, 100" -> [50, 80, 100]; null when any part is not a whole percentage. */
export function parseThresholds(text: string): number[] | null {
  const parts = text.split(/[\s,]+/).filter(Boolean);
  if (parts.length === 0) return null;
  const values = parts.map(Number);
  if (values.some((v) => !Number.isInteger(v) || v < 1 || v > 1000)) return null;
  return [...new Set(values)].sort((a, b) => a - b);
}

interface Props {
  initial?: Budget;
  onSubmit: (input: BudgetInput) => Promise<unknown>;
  onCancel?: () => void;
  submitLabel: string;
}

export function BudgetForm({ initial, onSubmit, onCancel, submitLabel }: Props) {
  const [name, setName] = useState(initial?.name ?? '');
  const [amount, setAmount] = useState(initial ? String(initial.amount) : '');
  const [period, setPeriod] = useState<BudgetPeriod>(initial?.period ?? 'monthly');
  const [draft, setDraft] = useState(() => draftOf(initial));
  const [thresholds, setThresholds] = useState((initial?.thresholds ?? [50, 80, 100]).join(', '));
  const [hardLimit, setHardLimit] = useState(initial?.hard_limit ?? false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const usd = Number(amount);
    if (!Number.isFinite(usd) || usd <= 0) return setError('Amount must be a number of dollars above 0.');
    const ts = parseThresholds(thresholds);
    if (!ts) return setError('Thresholds must be whole percentages, such as 50, 80, 100.');
    const { scope, error: scopeError } = scopeOfDraft(draft);
    if (scopeError) return setError(scopeError);
    const input: BudgetInput = {
      ...(name.trim() ? { name: name.trim() } : {}),
      amount: usd,
      period,
      thresholds: ts,
      hard_limit: hardLimit,
      // Editing away every scope field, or the template, must clear it, hence null rather than absent.
      ...(scope ? { scope } : initial?.scope ? { scope: null } : {}),
      ...(draft.per ? { per: draft.per } : initial?.per ? { per: null } : {}),
    };
    setBusy(true);
    setError(null);
    try {
      await onSubmit(input);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="form form-grid" onSubmit={submit} aria-label={initial ? 'Edit budget' : 'New budget'}>
      <label className="field">
        <span>Name (optional)</span>
        <input value={name} onChange={(e) => setName(e.target.value)} placeholder="Production monthly" />
      </label>
      <label className="field">
        <span>Amount (USD)</span>
        <input inputMode="decimal" required value={amount} onChange={(e) => setAmount(e.target.value)} placeholder="100" />
      </label>
      <label className="field">
        <span>Period</span>
        <select value={period} onChange={(e) => setPeriod(e.target.value as BudgetPeriod)}>
          {PERIODS.map((p) => (
            <option key={p} value={p}>
              {p}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>Alert thresholds (%)</span>
        <input value={thresholds} onChange={(e) => setThresholds(e.target.value)} placeholder="50, 80, 100" />
      </label>
      <ScopeFields draft={draft} onChange={setDraft} />
      <label className="field-check">
        <input type="checkbox" checked={hardLimit} onChange={(e) => setHardLimit(e.target.checked)} />
        <span>Hard limit: block calls through the SDK and proxy once the budget is spent</span>
      </label>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? 'Saving…' : submitLabel}
        </button>
        {onCancel && (
          <button type="button" className="btn" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}
