import { useMutation } from '@tanstack/react-query';
import { useScope } from '../../api/session';
import type { GatewayProvider, ProviderKey } from '../../api/types';
import { ConfirmButton } from '../../components/confirm-button';
import { formatTime } from '../../components/format';
import { errorMessage } from '../../components/states';

/**
 * The gateway's routes, in the order of core's GATEWAY_ROUTES, by name. Importing that list from
 * core would bundle zod into the dashboard; the Record type keeps this one the same set of routes.
 */
export const PROVIDER_NAMES: Record<GatewayProvider, string> = {
  openai: 'OpenAI',
  anthropic: 'Anthropic',
  google: 'Google Gemini',
  azure: 'Azure OpenAI',
  cohere: 'Cohere',
  groq: 'Groq',
  deepseek: 'DeepSeek',
  mistral: 'Mistral',
  together: 'Together AI',
  fireworks: 'Fireworks AI',
  openrouter: 'OpenRouter',
  xai: 'xAI',
  perplexity: 'Perplexity',
  cerebras: 'Cerebras',
  ollama: 'Ollama',
  vllm: 'vLLM',
};

export const GATEWAY_PROVIDERS = Object.keys(PROVIDER_NAMES) as GatewayProvider[];

/** The project's stored provider keys, by their last four characters. */
export function ProviderKeys({ keys, onChanged }: { keys: ProviderKey[]; onChanged: () => Promise<unknown> }) {
  if (keys.length === 0) {
    return <p className="muted">No provider key stored: calls pass their own provider key through.</p>;
  }
  return (
    <div className="table-wrap">
      <table className="table" data-testid="provider-keys-table">
        <thead>
          <tr>
            <th scope="col">Provider</th>
            <th scope="col">Key</th>
            <th scope="col" className="hide-sm">
              Updated
            </th>
            <th scope="col">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {keys.map((k) => (
            <ProviderKeyRow key={k.provider} providerKey={k} onChanged={onChanged} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function ProviderKeyRow({ providerKey: k, onChanged }: { providerKey: ProviderKey; onChanged: () => Promise<unknown> }) {
  const { api } = useScope();
  const name = PROVIDER_NAMES[k.provider];
  const remove = useMutation({ mutationFn: () => api.del(`/api/gateway/provider-keys/${k.provider}`), onSuccess: onChanged });
  return (
    <tr data-provider={k.provider}>
      <th scope="row">{name}</th>
      <td>
        <code data-testid="provider-key-hint">{k.hint}</code>
      </td>
      <td className="hide-sm">{formatTime(k.updated_at)}</td>
      <td>
        <ConfirmButton label="Remove" confirmLabel={`Remove ${name} key`} onConfirm={() => remove.mutate()} busy={remove.isPending} />
        {remove.error && <span className="error-text small">{errorMessage(remove.error)}</span>}
      </td>
    </tr>
  );
}
