import { type FormEvent, useState } from 'react';
import { useScope } from '../../api/session';
import type { GatewayProvider, ProviderKey } from '../../api/types';
import { ProviderSelect } from '../../components/provider-select';
import { errorMessage } from '../../components/states';
import { GATEWAY_PROVIDERS, PROVIDER_NAMES } from './provider-keys';

/** Stores one provider's key; a provider that has one gets it replaced. */
export function ProviderKeyForm({ stored, onSaved }: { stored: ProviderKey[]; onSaved: () => Promise<unknown> }) {
  const { api } = useScope();
  const [provider, setProvider] = useState<GatewayProvider>('openai');
  const [key, setKey] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState<string | null>(null);
  const replaces = stored.find((k) => k.provider === provider);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setSaved(null);
    try {
      await api.put<ProviderKey>(`/api/gateway/provider-keys/${provider}`, { key: key.trim() });
      // The key is never shown again, not even in this form.
      setKey('');
      await onSaved();
      setSaved(PROVIDER_NAMES[provider]);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="form form-inline" onSubmit={submit} aria-label="Store a provider key">
      <ProviderSelect providers={GATEWAY_PROVIDERS} names={PROVIDER_NAMES} value={provider} onChange={setProvider} />
      <label className="field field-grow">
        <span>Provider API key</span>
        <input
          type="password"
          required
          maxLength={512}
          autoComplete="off"
          value={key}
          onChange={(e) => setKey(e.target.value)}
          placeholder={replaces ? `replaces the stored key ${replaces.hint}` : 'sk-…'}
        />
      </label>
      <button type="submit" className="btn" disabled={busy || !key.trim()}>
        Save key
      </button>
      <span aria-live="polite" className="small">
        {saved && <span className="ok-text">{saved} key saved.</span>}
      </span>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
