import type { BillingProvider } from '@llmlab/core';

/** Migration 014-billing: an org's admin key per provider, encrypted like provider keys. */
export interface BillingConnectionsTable {
  id: string;
  org_id: string;
  provider: BillingProvider;
  /** `v1.<base64url(iv | tag | ciphertext)>`, AES-256-GCM bound to the org and provider (key-cipher.ts). */
  ciphertext: string;
  /** The key's last four characters. */
  hint: string;
  alert_threshold_nanos: number | null;
  alert_threshold_pct: number | null;
  last_sync_at: number | null;
  last_sync_status: 'ok' | 'error' | null;
  last_error: string | null;
  last_success_at: number | null;
  /** When a server took the daily sync of this connection, so that no other server runs it too. */
  sync_claimed_at: number | null;
  created_at: number;
  updated_at: number;
}

/** A UTC day (its start, epoch ms) whose bill was read: a day without lines was billed nothing. */
export interface BilledDaysTable {
  org_id: string;
  provider: BillingProvider;
  day: number;
  fetched_at: number;
}

/** One line of a provider's bill for a UTC day, in nanodollars. */
export interface BilledLinesTable {
  org_id: string;
  provider: BillingProvider;
  day: number;
  /** OpenAI's line_item, Anthropic's description. */
  line_item: string;
  /** The model the line names as the provider wrote it; '' when none. */
  model: string;
  amount_nanos: number;
}

declare module '../db/schema.js' {
  interface Database {
    billing_connections: BillingConnectionsTable;
    billed_days: BilledDaysTable;
    billed_lines: BilledLinesTable;
  }
}
