import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { type Permission, useCan } from '../../api/permissions';
import { useScope } from '../../api/session';
import type { ApiKey } from '../../api/types';
import { ConfirmButton } from '../../components/confirm-button';
import { CopyButton } from '../../components/copy-button';
import { formatTime } from '../../components/format';
import { PermissionNote } from '../../components/gate';
import { ErrorState, errorMessage, Loading } from '../../components/states';
import { KeyLimits } from './key-limits';
import { NewKeyForm } from './new-key-form';

export function KeysSection() {
  const { api, projectId } = useScope();
  const queryClient = useQueryClient();
  const [created, setCreated] = useState<(ApiKey & { key: string }) | null>(null);
  // The server lists keys to members and above: a viewer sees why instead of an error.
  const can = useCan('member', 'see or create API keys');
  const revokeOthers = useCan('admin', 'revoke keys others made');
  const keys = useQuery({
    queryKey: ['keys', projectId],
    queryFn: ({ signal }) => api.get<{ keys: ApiKey[] }>('/api/keys', undefined, signal),
    enabled: can.allowed,
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['keys', projectId] });

  if (!can.allowed) {
    return (
      <section className="panel" aria-labelledby="keys-title">
        <h2 id="keys-title">API keys</h2>
        <PermissionNote permission={can} />
      </section>
    );
  }
  return (
    <section className="panel" aria-labelledby="keys-title">
      <h2 id="keys-title">API keys</h2>
      <p className="muted">Keys belong to this project. The SDK, proxy and CLI send one as a bearer token.</p>
      <PermissionNote permission={revokeOthers} />
      {created && (
        <div className="notice notice-info" role="status" data-testid="new-key">
          <strong>Key “{created.name}” created.</strong> Copy it now: it is shown only once.
          <div className="secret-row">
            <code className="secret" data-testid="new-key-value">
              {created.key}
            </code>
            <CopyButton text={created.key} />
            <button type="button" className="btn btn-small" onClick={() => setCreated(null)}>
              Done
            </button>
          </div>
        </div>
      )}
      {keys.isPending ? (
        <Loading />
      ) : keys.error ? (
        <ErrorState error={keys.error} onRetry={() => keys.refetch()} />
      ) : keys.data.keys.length === 0 ? (
        <p className="muted">No key yet: create one below to start sending events.</p>
      ) : (
        <div className="table-wrap">
          <table className="table" data-testid="keys-table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col" className="hide-sm">Key</th>
                <th scope="col">Scopes</th>
                <th scope="col">Limits</th>
                <th scope="col" className="hide-sm">
                  Last used
                </th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {keys.data.keys.map((k) => (
                <KeyRow key={k.id} apiKey={k} onChanged={refresh} revokeOthers={revokeOthers} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      <NewKeyForm
        onCreated={async (k) => {
          setCreated(k);
          await refresh();
        }}
      />
    </section>
  );
}

function KeyRow({
  apiKey: k,
  onChanged,
  revokeOthers,
}: {
  apiKey: ApiKey;
  onChanged: () => Promise<unknown>;
  revokeOthers: Permission;
}) {
  const { api, me } = useScope();
  const mine = k.created_by?.user_id === me.user.id;
  const revoke = useMutation({ mutationFn: () => api.del(`/api/keys/${k.id}`), onSuccess: onChanged });
  return (
    <tr data-key-name={k.name}>
      <th scope="row">{k.name}</th>
      <td className="hide-sm">
        <code>{k.prefix}…</code>
      </td>
      <td>{k.scopes.join(', ')}</td>
      <td>
        <KeyLimits apiKey={k} />
      </td>
      <td className="hide-sm">{k.last_used_at ? formatTime(k.last_used_at) : 'never'}</td>
      <td>
        {k.revoked_at ? (
          <span className="badge badge-error">revoked {formatTime(k.revoked_at)}</span>
        ) : (
          <ConfirmButton
            label="Revoke"
            confirmLabel={`Revoke ${k.name}`}
            onConfirm={() => revoke.mutate()}
            busy={revoke.isPending}
            disabled={!mine && !revokeOthers.allowed}
          />
        )}
        {revoke.error && <span className="error-text small">{errorMessage(revoke.error)}</span>}
      </td>
    </tr>
  );
}
