import type { GatewayProvider } from '@llmlab/core';

/** The gateway's tables, added to the server's Database type (migration 002-gateway). */
export interface ProviderKeysTable {
  id: string;
  project_id: string;
  provider: GatewayProvider;
  /** `v1.<base64url(iv | tag | ciphertext)>`, AES-256-GCM bound to project and provider. */
  ciphertext: string;
  /** The key's last four characters, to tell keys apart in the dashboard. */
  hint: string;
  created_at: number;
  updated_at: number;
}

export interface GatewaySettingsTable {
  project_id: string;
  fail_mode: 'open' | 'closed';
  updated_at: number;
  /** 1: the proxy answers repeated deterministic calls from its response cache (migration 010). */
  cache_enabled: number;
  cache_ttl_seconds: number;
  /** The project's Azure OpenAI resource (migration 012); null: LLMLAB_AZURE_BASE_URL. */
  azure_endpoint: string | null;
}

export interface BudgetReservationsTable {
  id: string;
  budget_id: string;
  project_id: string;
  amount_nanos: number;
  created_at: number;
  /** A reservation whose process died stops counting after this time. */
  expires_at: number;
  /** The value of a template budget the call counts for (its end user, key or feature); '' otherwise. */
  scope_value: string;
}

declare module '../db/schema.js' {
  interface Database {
    provider_keys: ProviderKeysTable;
    gateway_settings: GatewaySettingsTable;
    budget_reservations: BudgetReservationsTable;
  }
}
