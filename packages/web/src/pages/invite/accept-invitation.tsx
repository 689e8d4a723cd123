import { type QueryClient, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { request } from '../../api/client';
import type { AcceptedInvitation, InvitationPreview, Me } from '../../api/types';
import { errorMessage } from '../../components/states';
import { Link } from '../../router/link';
import { navigate } from '../../router/location';

interface Props {
  token: string;
  invitation: InvitationPreview;
  me: Me | null;
}

/** The one way to join that fits the visitor: signed in as the invited email, with an account, or new. */
export function AcceptInvitation({ token, invitation: inv, me }: Props) {
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const accept = async (extra: { password?: string; name?: string }) => {
    setBusy(true);
    setError(null);
    try {
      const res = await request<AcceptedInvitation>('/api/invitations/accept', { method: 'POST', body: { token, ...extra } });
      await openJoinedOrg(queryClient, res.project?.id);
    } catch (err) {
      setError(errorMessage(err));
      setBusy(false);
    }
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void accept(inv.account_exists ? { password } : { password, ...(name.trim() ? { name: name.trim() } : {}) });
  };
  const failure = error && (
    <p className="form-error" role="alert">
      {error}
    </p>
  );

  if (me) {
    const joined = me.orgs?.find((o) => o.id === inv.org.id);
    if (joined?.default_project_id) {
      return (
        <p>
          You are already a member of {inv.org.name}.{' '}
          <Link href={`/?project_id=${encodeURIComponent(joined.default_project_id)}`}>Open {inv.org.name}</Link>
        </p>
      );
    }
    if (me.user.email.toLowerCase() !== inv.email.toLowerCase()) return <SignedInAsOther me={me} invitation={inv} />;
    return (
      <div className="form">
        <p>
          You are signed in as <strong>{me.user.email}</strong>.
        </p>
        {failure}
        <button type="button" className="btn btn-primary" onClick={() => accept({})} disabled={busy}>
          {busy ? 'Joining…' : `Join ${inv.org.name}`}
        </button>
      </div>
    );
  }

  return (
    <form className="form" onSubmit={submit} aria-label="Accept the invitation">
      {inv.account_exists ? (
        <p>{inv.email} already has an LLMLab account: enter its password to join.</p>
      ) : (
        <>
          <p>Create your account to join.</p>
          <label className="field">
            <span>Name (optional)</span>
            <input value={name} onChange={(e) => setName(e.target.value)} maxLength={100} autoComplete="name" />
          </label>
        </>
      )}
      <label className="field">
        <span>Password</span>
        <input
          type="password"
          required
          minLength={inv.account_exists ? undefined : 8}
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          autoComplete={inv.account_exists ? 'current-password' : 'new-password'}
        />
        {!inv.account_exists && <small className="muted">At least 8 characters.</small>}
      </label>
      {failure}
      <button type="submit" className="btn btn-primary" disabled={busy}>
        {busy ? 'Joining…' : inv.account_exists ? 'Log in and join' : 'Create account and join'}
      </button>
    </form>
  );
}

/** The server joins the session's own account, so a session of another email must end first. */
function SignedInAsOther({ me, invitation: inv }: { me: Me; invitation: InvitationPreview }) {
  const queryClient = useQueryClient();
  const [busy, setBusy] = useState(false);
  const logOut = async () => {
    setBusy(true);
    try {
      await request('/api/auth/logout', { method: 'POST', body: {} });
    } finally {
      // The other account's data must not stay in memory; this page then shows the signed-out form.
      queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== 'me' && q.queryKey[0] !== 'invitation' });
      await queryClient.resetQueries({ queryKey: ['me'] });
    }
  };
  return (
    <div className="form">
      <p className="notice notice-warn">
        You are signed in as <strong>{me.user.email}</strong>, but this invitation is for <strong>{inv.email}</strong>. Log out
        to accept it as {inv.email}.
      </p>
      <button type="button" className="btn btn-primary" onClick={logOut} disabled={busy}>
        Log out of {me.user.email}
      </button>
    </div>
  );
}

/** Lands on the overview of the joined org, with a fresh /api/me (its role and org list changed). */
async function openJoinedOrg(queryClient: QueryClient, projectId: string | undefined): Promise<void> {
  await queryClient.invalidateQueries({ queryKey: ['me'], refetchType: 'none' });
  if (projectId) {
    const me = await request<Me>('/api/me', { query: { project_id: projectId } });
    queryClient.setQueryData(['me', projectId], me);
  }
  // The "signed out" answer this page was opened with must not outlive the sign-in.
  queryClient.removeQueries({ queryKey: ['me', null], exact: true });
  navigate(projectId ? `/?project_id=${encodeURIComponent(projectId)}` : '/', { replace: true });
}
