import type { ColumnType, Kysely, Selectable } from 'kysely';
import type { TenantContext } from '../context.js';
import type { Database } from '../db/schema.js';

type Json = ColumnType<unknown, string | null, string | null>;

export type ChannelType = 'webhook' | 'slack' | 'email';
export type AlertKind = 'budget' | 'forecast' | 'anomaly' | 'unpriced' | 'reconciliation';
export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

export type AlertChannelsTable = {
  id: string;
  org_id: string;
  type: ChannelType;
  name: string;
  /** A URL for webhook and Slack, an address for email. */
  target: string;
  /** HMAC-SHA256 key of a webhook channel. */
  secret: string | null;
  enabled: number;
  created_at: number;
  updated_at: number;
};

export type AlertsFiredTable = {
  id: string;
  project_id: string;
  kind: AlertKind;
  /** What the alert is about: a budget id, an anomaly's series, 'project'. */
  subject: string;
  /** The budget period, the anomaly's bucket, the hour of an unpriced burst. */
  period_key: string;
  /** Percent of the budget for threshold alerts, 0 otherwise. */
  threshold: number;
  budget_id: string | null;
  message: string;
  payload: Json;
  fired_at: number;
};

export type AlertDeliveriesTable = {
  id: string;
  alert_id: string;
  channel_id: string;
  channel_type: ChannelType;
  status: DeliveryStatus;
  attempts: number;
  last_error: string | null;
  updated_at: number;
};

export type AlertTables = {
  alert_channels: AlertChannelsTable;
  alerts_fired: AlertsFiredTable;
  alert_deliveries: AlertDeliveriesTable;
};

/** The database typed with the alert tables of migration 003 as well. */
export function alertDb(ctx: Pick<TenantContext, 'db'>): Kysely<Database & AlertTables> {
  return ctx.db.kysely.withTables<AlertTables>();
}

/** An alert as read back: its payload is parsed JSON (or the text SQLite keeps). */
export type FiredAlert = Selectable<AlertsFiredTable>;
