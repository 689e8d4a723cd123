import { type FormEvent, useState } from 'react';
import { useScope } from '../../api/session';
import type { GatewaySettings } from '../../api/types';
import { errorMessage } from '../../components/states';

type FailMode = GatewaySettings['fail_mode'];

const MODES: { value: FailMode; label: string }[] = [
  { value: 'open', label: 'Open: forward, record later' },
  { value: 'closed', label: 'Closed: refuse with 503' },
];

/** Whether the proxy keeps forwarding when it cannot check budgets or write usage. */
export function FailModeForm({ settings, onSaved }: { settings: GatewaySettings; onSaved: (s: GatewaySettings) => void }) {
  const { api } = useScope();
  const [mode, setMode] = useState<FailMode>(settings.fail_mode);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setSaved(false);
    try {
      onSaved(await api.patch<GatewaySettings>('/api/gateway/settings', { fail_mode: mode }));
      setSaved(true);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="form form-inline" onSubmit={submit} aria-label="Fail mode">
      <label className="field field-grow">
        <span>Fail mode</span>
        <select value={mode} onChange={(e) => setMode(e.target.value as FailMode)}>
          {MODES.map((m) => (
            <option key={m.value} value={m.value}>
              {m.label}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" className="btn" disabled={busy || mode === settings.fail_mode}>
        Save fail mode
      </button>
      <span aria-live="polite" className="small">
        {saved && <span className="ok-text">Saved.</span>}
      </span>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
