import { type FormEvent, useState } from 'react';
import { ACTION_LABELS, AUDIT_ACTIONS } from './audit-actions';
import { type AuditFilters, checkFilters, NO_FILTERS } from './audit-query';

/** The filters apply on submit, so typing an email does not fetch the log at every key. */
export function AuditFilterForm({ applied, onApply }: { applied: AuditFilters; onApply: (f: AuditFilters) => void }) {
  const [f, setF] = useState<AuditFilters>(applied);
  const [error, setError] = useState<string | null>(null);
  const set = (k: keyof AuditFilters) => (e: { target: { value: string } }) => setF({ ...f, [k]: e.target.value });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const problem = checkFilters(f);
    setError(problem);
    if (!problem) onApply({ ...f, actor: f.actor.trim() });
  };
  const clear = () => {
    setF(NO_FILTERS);
    setError(null);
    onApply(NO_FILTERS);
  };

  return (
    <form className="filter-bar" onSubmit={submit} aria-label="Audit log filters">
      <label className="field-inline">
        <span>From</span>
        <input type="date" value={f.from} onChange={set('from')} />
      </label>
      <label className="field-inline">
        <span>To</span>
        <input type="date" value={f.to} onChange={set('to')} />
      </label>
      <label className="field-inline">
        <span>Actor (email or key prefix)</span>
        <input value={f.actor} onChange={set('actor')} placeholder="ada@example.com" maxLength={254} />
      </label>
      <label className="field-inline">
        <span>Action</span>
        <select value={f.action} onChange={set('action')}>
          <option value="">Any action</option>
          {AUDIT_ACTIONS.map((a) => (
            <option key={a} value={a}>
              {ACTION_LABELS[a]}
            </option>
          ))}
        </select>
      </label>
      <div className="form-actions">
        <button type="submit" className="btn btn-primary">
          Apply
        </button>
        <button type="button" className="btn" onClick={clear}>
          Clear
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
