import { type FormEvent, useState } from 'react';
import { useScope } from '../../api/session';
import type { GatewaySettings } from '../../api/types';
import { errorMessage } from '../../components/states';

/** The project's Azure OpenAI resource, where /proxy/azure/ forwards; the server checks it is one. */
export function AzureEndpointForm({ settings, onSaved }: { settings: GatewaySettings; onSaved: (s: GatewaySettings) => void }) {
  const { api } = useScope();
  const [endpoint, setEndpoint] = useState(settings.azure_endpoint ?? '');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState<string | null>(null);

  const save = async (value: string | null) => {
    setBusy(true);
    setError(null);
    setSaved(null);
    try {
      const s = await api.patch<GatewaySettings>('/api/gateway/settings', { azure_endpoint: value });
      // The server stores the endpoint in one spelling (no trailing slash): show that one.
      setEndpoint(s.azure_endpoint ?? '');
      onSaved(s);
      setSaved(s.azure_endpoint ? 'Saved.' : 'Cleared.');
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save(endpoint.trim());
  };

  return (
    <>
      <p className="muted small" data-testid="azure-endpoint-current">
        {settings.azure_endpoint ? (
          <>
            Calls to <code>/proxy/azure/</code> go to <code>{settings.azure_endpoint}</code>.
          </>
        ) : (
          <>
            No endpoint set: <code>/proxy/azure/</code> goes to the server’s <code>LLMLAB_AZURE_BASE_URL</code>, if it has one.
          </>
        )}
      </p>
      <form className="form form-inline" onSubmit={submit} aria-label="Azure OpenAI endpoint">
        <label className="field field-grow">
          <span>Azure OpenAI endpoint</span>
          {/* Not type="url": the server's message says what an endpoint must look like, the browser's would not. */}
          <input
            inputMode="url"
            maxLength={300}
            value={endpoint}
            onChange={(e) => setEndpoint(e.target.value)}
            placeholder="https://my-resource.openai.azure.com"
          />
        </label>
        <button type="submit" className="btn" disabled={busy || !endpoint.trim() || endpoint.trim() === settings.azure_endpoint}>
          Save endpoint
        </button>
        <button type="button" className="btn" onClick={() => save(null)} disabled={busy || settings.azure_endpoint === null}>
          Clear
        </button>
        <span aria-live="polite" className="small">
          {saved && <span className="ok-text">{saved}</span>}
        </span>
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
      </form>
    </>
  );
}
