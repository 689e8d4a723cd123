import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { roleAtLeast } from '../../api/permissions';
import { useScope } from '../../api/session';
import type { CreatedInvitation, Invitation } from '../../api/types';
import { ConfirmButton } from '../../components/confirm-button';
import { formatTime } from '../../components/format';
import { ErrorState, errorMessage, Loading } from '../../components/states';

type OnInvited = (invitation: CreatedInvitation) => Promise<unknown>;

/** Invitations not yet accepted. Only admins see them (the server lists them to admins only). */
export function PendingInvitations({ onInvited }: { onInvited: OnInvited }) {
  const { api, me } = useScope();
  const queryClient = useQueryClient();
  const isAdmin = roleAtLeast(me.role, 'admin');
  const invitations = useQuery({
    queryKey: ['invitations', me.org.id],
    queryFn: ({ signal }) => api.get<{ invitations: Invitation[] }>('/api/invitations', undefined, signal),
    enabled: isAdmin,
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['invitations', me.org.id] });
  if (!isAdmin) return null;

  return (
    <>
      <h3>Pending invitations</h3>
      {invitations.isPending ? (
        <Loading />
      ) : invitations.error ? (
        <ErrorState error={invitations.error} onRetry={() => invitations.refetch()} />
      ) : invitations.data.invitations.length === 0 ? (
        <p className="muted">No invitation is waiting to be accepted.</p>
      ) : (
        <>
          <p className="muted small">
            A link is shown only when it is made. To send someone a link again, make a new one: it replaces the old link.
          </p>
          <div className="table-wrap">
            <table className="table" data-testid="invitations-table">
              <thead>
                <tr>
                  <th scope="col">Email</th>
                  <th scope="col">Role</th>
                  <th scope="col" className="hide-sm">
                    Invited by
                  </th>
                  <th scope="col" className="hide-sm">
                    Expires
                  </th>
                  <th scope="col">
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {invitations.data.invitations.map((inv) => (
                  <InvitationRow key={inv.id} invitation={inv} onChanged={refresh} onInvited={onInvited} />
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </>
  );
}

function InvitationRow({
  invitation: inv,
  onChanged,
  onInvited,
}: {
  invitation: Invitation;
  onChanged: () => Promise<unknown>;
  onInvited: OnInvited;
}) {
  const { api } = useScope();
  const revoke = useMutation({ mutationFn: () => api.del(`/api/invitations/${encodeURIComponent(inv.id)}`), onSuccess: onChanged });
  // Inviting the same email again replaces the pending invitation: the way to a fresh link.
  const renew = useMutation({
    mutationFn: () => api.post<CreatedInvitation>('/api/invitations', { email: inv.email, role: inv.role }),
    onSuccess: onInvited,
  });
  const error = revoke.error ?? renew.error;
  return (
    <tr data-invitation-email={inv.email}>
      <th scope="row">{inv.email}</th>
      <td>{inv.role}</td>
      <td className="hide-sm">{inv.invited_by?.email ?? '—'}</td>
      <td className="hide-sm">{formatTime(inv.expires_at)}</td>
      <td>
        <div className="row-actions">
          <button type="button" className="btn btn-small" onClick={() => renew.mutate()} disabled={renew.isPending}>
            New link
          </button>
          <ConfirmButton
            label="Revoke"
            confirmLabel={`Revoke invitation for ${inv.email}`}
            onConfirm={() => revoke.mutate()}
            busy={revoke.isPending}
          />
        </div>
        {error && (
          <div className="error-text small" role="alert">
            {errorMessage(error)}
          </div>
        )}
      </td>
    </tr>
  );
}
