import { useMutation, useQueryClient } from '@tanstack/react-query';
import { ROLES_DESC, roleAtLeast } from '../../api/permissions';
import { useScope } from '../../api/session';
import type { Member, Role } from '../../api/types';
import { ConfirmButton } from '../../components/confirm-button';
import { formatDate, formatTime } from '../../components/format';
import { errorMessage } from '../../components/states';

export function MemberRow({ member: m, onChanged }: { member: Member; onChanged: () => Promise<unknown> }) {
  const { api, me } = useScope();
  const queryClient = useQueryClient();
  const isSelf = m.user_id === me.user.id;
  const isOwner = me.role === 'owner';
  const canManage = roleAtLeast(me.role, 'admin');
  // The server's rule: only an owner changes or removes an owner, or makes someone owner.
  const ownersOnly = canManage && m.role === 'owner' && !isOwner;
  const afterChange = async () => {
    await onChanged();
    // A change to one's own role changes what the whole dashboard lets one do.
    if (isSelf) await queryClient.invalidateQueries({ queryKey: ['me'] });
  };
  const change = useMutation({
    mutationFn: (role: Role) => api.patch<Member>(`/api/members/${encodeURIComponent(m.user_id)}`, { role }),
    onSuccess: afterChange,
  });
  const remove = useMutation({
    mutationFn: () => api.del(`/api/members/${encodeURIComponent(m.user_id)}`),
    onSuccess: onChanged,
  });
  const error = change.error ?? remove.error;

  return (
    <tr data-member-email={m.email}>
      <th scope="row">
        {m.name || m.email} {isSelf && <span className="badge">you</span>}
        {m.name && <div className="muted small">{m.email}</div>}
      </th>
      <td>
        <select
          aria-label={`Role of ${m.email}`}
          value={m.role}
          onChange={(e) => change.mutate(e.target.value as Role)}
          disabled={!canManage || ownersOnly || change.isPending}
        >
          {ROLES_DESC.map((r) => (
            <option key={r} value={r} disabled={r === 'owner' && !isOwner}>
              {r}
            </option>
          ))}
        </select>
        {ownersOnly && <div className="muted small">Only an owner changes an owner.</div>}
      </td>
      <td className="hide-sm">{formatDate(m.joined_at)}</td>
      <td className="hide-sm">{m.last_seen_at ? formatTime(m.last_seen_at) : 'never'}</td>
      <td>
        {!isSelf && (
          <ConfirmButton
            label="Remove"
            confirmLabel={`Remove ${m.email}`}
            onConfirm={() => remove.mutate()}
            busy={remove.isPending}
            disabled={!canManage || ownersOnly}
          />
        )}
        {error && (
          <div className="error-text small" role="alert">
            {errorMessage(error)}
          </div>
        )}
      </td>
    </tr>
  );
}
