import type { ApiKeysTable } from '../db/schema.js';

const list = (json: string | null) => (json ? (JSON.parse(json) as string[]) : null);

/** The rules the proxy applies to a key's calls. */
export interface KeyRules {
  name: string;
  allowedModels: string[] | null;
  allowedProviders: string[] | null;
}

export function keyRulesOf(row: Pick<ApiKeysTable, 'name' | 'allowed_models' | 'allowed_providers'>): KeyRules | undefined {
  if (!row.allowed_models && !row.allowed_providers) return undefined;
  return { name: row.name, allowedModels: list(row.allowed_models), allowedProviders: list(row.allowed_providers) };
}

/**
 * Why the key may not make this call through the proxy, or undefined. A dated snapshot of an
 * allowed model is allowed (`gpt-4o-2024-08-06` under `gpt-4o`); `model` undefined: a request
 * that uses no model (listing models), judged by provider only.
 */
export function keyRefusal(rules: KeyRules | undefined, provider: string, model: string | undefined): string | undefined {
  if (!rules) return undefined;
  if (rules.allowedProviders && !rules.allowedProviders.includes(provider)) {
    return `LLMLab key "${rules.name}" may call only ${rules.allowedProviders.join(', ')}, not ${provider}`;
  }
  if (rules.allowedModels && model !== undefined) {
    const asked = model?.toLowerCase() ?? '';
    const ok = rules.allowedModels.some((m) => asked === m.toLowerCase() || (asked.startsWith(`${m.toLowerCase()}-`) && /^\d{4}-?\d{2}-?\d{2}$/.test(asked.slice(m.length + 1))));
    if (!ok) return `LLMLab key "${rules.name}" may call only the models ${rules.allowedModels.join(', ')}, not ${model}`;
  }
  return undefined;
}
