import { type FormEvent, useState } from 'react';
import { ROLE_HINTS, ROLES_DESC, useCan } from '../../api/permissions';
import { useScope } from '../../api/session';
import type { CreatedInvitation, Role } from '../../api/types';
import { Gate } from '../../components/gate';
import { errorMessage } from '../../components/states';

export function InviteForm({ onInvited }: { onInvited: (invitation: CreatedInvitation) => Promise<unknown> }) {
  const { api, me } = useScope();
  const can = useCan('admin', 'invite people');
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('member');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const invitation = await api.post<CreatedInvitation>('/api/invitations', { email: email.trim(), role });
      setEmail('');
      await onInvited(invitation);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Gate permission={can}>
      <form className="form form-inline" onSubmit={submit} aria-label="Invite a member">
        <label className="field field-grow">
          <span>Email to invite</span>
          <input type="email" required maxLength={254} value={email} onChange={(e) => setEmail(e.target.value)} placeholder="ada@example.com" />
        </label>
        <label className="field">
          <span>Invite as</span>
          <select value={role} onChange={(e) => setRole(e.target.value as Role)}>
            {ROLES_DESC.map((r) => (
              // Only an owner may make another owner.
              <option key={r} value={r} disabled={r === 'owner' && me.role !== 'owner'}>
                {r}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="btn btn-primary" disabled={busy || !email.trim()}>
          {busy ? 'Inviting…' : 'Invite'}
        </button>
        <p className="muted small form-hint">
          {role === 'admin' || role === 'owner' ? 'An' : 'A'} {role} {ROLE_HINTS[role]}.
        </p>
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
      </form>
    </Gate>
  );
}
