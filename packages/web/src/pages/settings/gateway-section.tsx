import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCan } from '../../api/permissions';
import { useScope } from '../../api/session';
import type { GatewaySettings, ProviderKey } from '../../api/types';
import { Gate } from '../../components/gate';
import { ErrorState, Loading } from '../../components/states';
import { AzureEndpointForm } from './azure-endpoint-form';
import { FailModeForm } from './fail-mode-form';
import { ProviderKeyForm } from './provider-key-form';
import { ProviderKeys } from './provider-keys';

/** What the proxy at /proxy/<provider>/ does for this project: stored provider keys, the Azure resource, the fail mode. */
export function GatewaySection() {
  const { api, projectId } = useScope();
  const queryClient = useQueryClient();
  const can = useCan('admin', 'change gateway keys or settings');
  const keys = useQuery({
    queryKey: ['provider-keys', projectId],
    queryFn: ({ signal }) => api.get<{ keys: ProviderKey[] }>('/api/gateway/provider-keys', undefined, signal),
  });
  const settings = useQuery({
    queryKey: ['gateway-settings', projectId],
    queryFn: ({ signal }) => api.get<GatewaySettings>('/api/gateway/settings', undefined, signal),
  });
  const refreshKeys = () => queryClient.invalidateQueries({ queryKey: ['provider-keys', projectId] });
  // A PATCH answers with every setting: the forms read the stored values from it without asking again.
  const savedSettings = (s: GatewaySettings) => queryClient.setQueryData(['gateway-settings', projectId], s);
  const error = keys.error ?? settings.error;

  return (
    <section className="panel" aria-labelledby="gateway-title">
      <h2 id="gateway-title">Gateway</h2>
      <p className="muted">
        How the proxy at <code>/proxy/&lt;provider&gt;/</code> forwards this project’s calls. Keys stored here are encrypted and never
        shown again: a call may then send its LLMLab key alone and the proxy adds the provider’s.
      </p>
      {error ? (
        <ErrorState
          error={error}
          onRetry={() => {
            keys.refetch();
            settings.refetch();
          }}
        />
      ) : !keys.data || !settings.data ? (
        <Loading />
      ) : (
        // Loading and errors stay outside the gate: its fieldset would disable a viewer's retry button.
        <Gate permission={can}>
          <h3>Provider keys</h3>
          <ProviderKeys keys={keys.data.keys} onChanged={refreshKeys} />
          <ProviderKeyForm stored={keys.data.keys} onSaved={refreshKeys} />
          <h3>Azure OpenAI endpoint</h3>
          <AzureEndpointForm settings={settings.data} onSaved={savedSettings} />
          <h3>If LLMLab’s database is unreachable</h3>
          <FailModeForm settings={settings.data} onSaved={savedSettings} />
        </Gate>
      )}
    </section>
  );
}
