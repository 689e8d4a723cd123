import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCan } from '../../api/permissions';
import { useScope } from '../../api/session';
import type { Member } from '../../api/types';
import { PermissionNote } from '../../components/gate';
import { ErrorState, Loading } from '../../components/states';
import { Invitations } from './invitations';
import { MemberRow } from './member-row';

/** The org's people and their roles, and the invitations that bring new ones in. */
export function MembersSection() {
  const { api, me } = useScope();
  const queryClient = useQueryClient();
  const manage = useCan('admin', 'change roles or remove members');
  // Members belong to the org, not the project: every project of the org shares this list.
  const members = useQuery({
    queryKey: ['members', me.org.id],
    queryFn: ({ signal }) => api.get<{ members: Member[] }>('/api/members', undefined, signal),
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['members', me.org.id] });

  return (
    <section className="panel" aria-labelledby="members-title">
      <h2 id="members-title">Members</h2>
      <p className="muted">
        People in <strong>{me.org.name}</strong>, in every project of it. Owners and admins change settings, budgets, keys and
        members; members also track events and make their own keys; viewers read everything and change nothing.
      </p>
      <PermissionNote permission={manage} />
      {members.isPending ? (
        <Loading />
      ) : members.error ? (
        <ErrorState error={members.error} onRetry={() => members.refetch()} />
      ) : (
        <div className="table-wrap">
          <table className="table" data-testid="members-table">
            <thead>
              <tr>
                <th scope="col">Member</th>
                <th scope="col">Role</th>
                <th scope="col" className="hide-sm">
                  Joined
                </th>
                <th scope="col" className="hide-sm">
                  Last seen
                </th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {members.data.members.map((m) => (
                <MemberRow key={m.user_id} member={m} onChanged={refresh} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Invitations />
    </section>
  );
}
