import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useCan } from '../../api/permissions';
import { useScope } from '../../api/session';
import type { Org } from '../../api/types';
import { Gate } from '../../components/gate';
import { errorMessage } from '../../components/states';

export function OrgSection() {
  const { api, me } = useScope();
  const queryClient = useQueryClient();
  const can = useCan('admin', 'rename the organisation');
  const [name, setName] = useState(me.org.name);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setSaved(false);
    try {
      await api.patch<Org>('/api/org', { name: name.trim() });
      // The top bar and the org switcher read the name from /api/me.
      await queryClient.invalidateQueries({ queryKey: ['me'] });
      setSaved(true);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="panel" aria-labelledby="org-title">
      <h2 id="org-title">Organisation</h2>
      <p className="muted">
        Projects, members, price overrides and the audit log belong to the organisation. You are{' '}
        <strong data-testid="my-role">{me.role ?? 'not a member'}</strong> here.
      </p>
      <Gate permission={can}>
        <form className="form form-inline" onSubmit={submit} aria-label="Organisation name">
          <label className="field field-grow">
            <span>Organisation name</span>
            <input required maxLength={100} value={name} onChange={(e) => setName(e.target.value)} />
          </label>
          <button type="submit" className="btn" disabled={busy || !name.trim() || name.trim() === me.org.name}>
            Rename
          </button>
          <span aria-live="polite" className="small">
            {saved && <span className="ok-text">Renamed.</span>}
          </span>
          {error && (
            <p className="form-error" role="alert">
              {error}
            </p>
          )}
        </form>
      </Gate>
    </section>
  );
}
