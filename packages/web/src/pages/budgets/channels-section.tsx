import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { type Permission, useCan } from '../../api/permissions';
import { useScope } from '../../api/session';
import type { AlertChannel, ChannelType } from '../../api/types';
import { ConfirmButton } from '../../components/confirm-button';
import { CopyButton } from '../../components/copy-button';
import { Gate, PermissionNote } from '../../components/gate';
import { EmptyState, ErrorState, errorMessage, isMissingEndpoint, Loading } from '../../components/states';

const TYPES: { value: ChannelType; label: string; target: string; placeholder: string }[] = [
  { value: 'webhook', label: 'Webhook', target: 'URL', placeholder: 'https://example.com/llmlab-alerts' },
  { value: 'slack', label: 'Slack incoming webhook', target: 'Webhook URL', placeholder: 'https://hooks.slack.com/services/…' },
  { value: 'email', label: 'Email', target: 'Email address', placeholder: 'oncall@example.com' },
];

function channelsOf(data: { channels?: AlertChannel[] } | AlertChannel[]): AlertChannel[] {
  return Array.isArray(data) ? data : (data.channels ?? []);
}

function targetOf(c: AlertChannel): string {
  return c.target ?? c.url ?? c.email ?? '—';
}

export function ChannelsSection() {
  const { api, projectId } = useScope();
  const queryClient = useQueryClient();
  const manage = useCan('admin', 'add or delete alert channels');
  const test = useCan('member', 'send test alerts');
  const channels = useQuery({
    queryKey: ['alert-channels', projectId],
    queryFn: ({ signal }) => api.get<{ channels?: AlertChannel[] } | AlertChannel[]>('/api/alert-channels', undefined, signal),
    retry: false,
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['alert-channels', projectId] });

  return (
    <section className="panel" aria-labelledby="channels-title">
      <h2 id="channels-title">Alert channels</h2>
      {channels.isPending ? (
        <Loading />
      ) : channels.error ? (
        isMissingEndpoint(channels.error) ? (
          <EmptyState title="Alert channels are not available on this server">
            <p>This LLMLab server cannot deliver alerts yet, so there is nothing to set up here.</p>
          </EmptyState>
        ) : (
          <ErrorState error={channels.error} onRetry={() => channels.refetch()} />
        )
      ) : (
        <>
          {channelsOf(channels.data).length === 0 ? (
            <p className="muted">
              No channel yet: add a webhook, a Slack incoming webhook or an email address so alerts reach you.
            </p>
          ) : (
            <>
              <PermissionNote permission={test} />
              <ul className="channel-list">
                {channelsOf(channels.data).map((c) => (
                  <ChannelItem key={c.id} channel={c} onChanged={refresh} manage={manage} test={test} />
                ))}
              </ul>
            </>
          )}
          <Gate permission={manage}>
            <NewChannelForm onCreated={refresh} create={(body) => api.post<AlertChannel>('/api/alert-channels', body)} />
          </Gate>
        </>
      )}
    </section>
  );
}

function ChannelItem({
  channel,
  onChanged,
  manage,
  test: canTest,
}: {
  channel: AlertChannel;
  onChanged: () => Promise<unknown>;
  manage: Permission;
  test: Permission;
}) {
  const { api } = useScope();
  const test = useMutation({ mutationFn: () => api.post(`/api/alert-channels/${channel.id}/test`) });
  const remove = useMutation({ mutationFn: () => api.del(`/api/alert-channels/${channel.id}`), onSuccess: onChanged });
  const label = TYPES.find((t) => t.value === channel.type)?.label ?? channel.type;
  return (
    <li className="channel-item">
      <div>
        <strong>{channel.name || label}</strong> <span className="badge">{label}</span>
        <div className="muted small break">{targetOf(channel)}</div>
      </div>
      <div className="row-actions">
        <button type="button" className="btn btn-small" onClick={() => test.mutate()} disabled={test.isPending || !canTest.allowed}>
          {test.isPending ? 'Sending…' : 'Send test'}
        </button>
        <ConfirmButton
          label="Delete"
          confirmLabel="Delete channel"
          onConfirm={() => remove.mutate()}
          busy={remove.isPending}
          disabled={!manage.allowed}
        />
      </div>
      <div aria-live="polite" className="small">
        {test.isSuccess && <span className="ok-text">Test alert sent.</span>}
        {test.error && (
          <span className="error-text">
            {isMissingEndpoint(test.error)
              ? 'This server cannot send test alerts yet.'
              : `Test failed: ${errorMessage(test.error)}`}
          </span>
        )}
        {remove.error && <span className="error-text">{errorMessage(remove.error)}</span>}
      </div>
    </li>
  );
}

function NewChannelForm({
  create,
  onCreated,
}: {
  create: (body: unknown) => Promise<AlertChannel>;
  onCreated: () => Promise<unknown>;
}) {
  const [secret, setSecret] = useState<string | null>(null);
  const [type, setType] = useState<ChannelType>('webhook');
  const [name, setName] = useState('');
  const [target, setTarget] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const meta = TYPES.find((t) => t.value === type) ?? TYPES[0];

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const channel = await create({
        type,
        ...(name.trim() ? { name: name.trim() } : {}),
        ...(type === 'email' ? { email: target.trim() } : { url: target.trim() }),
      });
      setSecret(channel.secret ?? null);
      setName('');
      setTarget('');
      await onCreated();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      {secret && (
        <div className="notice notice-info" role="status">
          <strong>Webhook signing secret</strong>: verify the HMAC-SHA256 signature of each alert with it. Copy it now: it is
          shown only once.
          <div className="secret-row">
            <code className="secret" data-testid="channel-secret">
              {secret}
            </code>
            <CopyButton text={secret} />
          </div>
        </div>
      )}
      <form className="form form-inline" onSubmit={submit} aria-label="New alert channel">
        <label className="field">
          <span>Type</span>
          <select value={type} onChange={(e) => setType(e.target.value as ChannelType)}>
            {TYPES.map((t) => (
              <option key={t.value} value={t.value}>
                {t.label}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Name (optional)</span>
          <input value={name} onChange={(e) => setName(e.target.value)} placeholder="On-call" />
        </label>
        <label className="field field-grow">
          <span>{meta.target}</span>
          <input
            required
            type={type === 'email' ? 'email' : 'url'}
            value={target}
            onChange={(e) => setTarget(e.target.value)}
            placeholder={meta.placeholder}
          />
        </label>
        <button type="submit" className="btn btn-primary" disabled={busy}>
          Add channel
        </button>
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
      </form>
    </>
  );
}
