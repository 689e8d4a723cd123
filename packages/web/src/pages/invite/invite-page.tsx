import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { ApiError, request } from '../../api/client';
import { ROLE_HINTS } from '../../api/permissions';
import type { InvitationPreview, Me } from '../../api/types';
import { formatTime } from '../../components/format';
import { ErrorState, Loading } from '../../components/states';
import { Link } from '../../router/link';
import { useLocation } from '../../router/location';
import { AcceptInvitation } from './accept-invitation';

/** /invite?token=…: what the link invites to, then joining (with a new account, a password or the current session). */
export default function InvitePage({ me }: { me: Me | null }) {
  const token = useLocation().params.get('token') ?? '';
  const preview = useQuery({
    queryKey: ['invitation', token],
    queryFn: ({ signal }) => request<InvitationPreview>('/api/invitations/lookup', { query: { token }, signal }),
    enabled: token !== '',
    retry: false,
  });

  if (!token) {
    return (
      <Card title="This invitation link is incomplete">
        <p>An invitation link ends with <code>?token=…</code>. Open the whole link from the message you received.</p>
      </Card>
    );
  }
  if (preview.isPending) return <Loading label="Reading the invitation…" />;
  if (preview.error) return <LookupFailed error={preview.error} signedIn={me !== null} />;
  const inv = preview.data;
  return (
    <Card title={`Join ${inv.org.name} on LLMLab`}>
      <dl className="fields invite-fields">
        <dt>Organisation</dt>
        <dd data-testid="invite-org">{inv.org.name}</dd>
        <dt>Email</dt>
        <dd data-testid="invite-email">{inv.email}</dd>
        <dt>Role</dt>
        <dd>
          <strong data-testid="invite-role">{inv.role}</strong> <span className="muted small">({ROLE_HINTS[inv.role]})</span>
        </dd>
        <dt>Valid until</dt>
        <dd>{formatTime(inv.expires_at)}</dd>
      </dl>
      <AcceptInvitation token={token} invitation={inv} me={me} />
    </Card>
  );
}

function LookupFailed({ error, signedIn }: { error: unknown; signedIn: boolean }) {
  const status = error instanceof ApiError ? error.status : 0;
  if (status !== 410 && status !== 404) {
    return (
      <Card title="The invitation could not be read">
        <ErrorState error={error} />
      </Card>
    );
  }
  return (
    <Card title={status === 410 ? 'This invitation can no longer be used' : 'This link is not an invitation'}>
      <p className="notice notice-warn" role="alert" data-testid="invite-problem">
        {(error as ApiError).message}
      </p>
      <p>
        Ask the person who invited you for a new link.{' '}
        {signedIn ? <Link href="/">Open your dashboard</Link> : <Link href="/login">Log in</Link>}
      </p>
    </Card>
  );
}

function Card({ title, children }: { title: string; children: ReactNode }) {
  return (
    <main className="auth">
      <div className="auth-card">
        <div className="brand brand-large">
          <span className="brand-mark" aria-hidden="true" />
          LLMLab
        </div>
        <h1>{title}</h1>
        {children}
      </div>
    </main>
  );
}
