import { z } from 'zod';
import { BILLING_PROVIDERS } from '../billing/reconcile-day.js';
import { Count, IsoTime, LocalDate, Nanos, Usd } from './common.js';

/** An org's connection to a provider's cost API: never the admin key, only its last four characters. */
export const BillingConnectionAnswer = z
  .strictObject({
    provider: z.enum(BILLING_PROVIDERS),
    hint: z.string().describe('"..." and the last four characters of the admin key'),
    alert_threshold_usd: Usd.nullable().describe('Alert when a settled day differs by at least this much (null: no USD threshold)'),
    alert_threshold_pct: z.number().nullable().describe('Alert when a settled day differs by at least this share of the bill (null: no percentage threshold)'),
    last_sync_at: IsoTime.nullable().describe('The last time LLMLab read the bill, whether it worked or not'),
    last_sync_status: z.enum(['ok', 'error']).nullable(),
    last_error: z.string().nullable().describe("The provider's error at the last sync; null when it worked"),
    last_success_at: IsoTime.nullable(),
    created_at: IsoTime,
    updated_at: IsoTime,
  })
  .meta({ id: 'BillingConnection' });
export type BillingConnectionAnswer = z.infer<typeof BillingConnectionAnswer>;

/** GET /api/billing/connections. */
export const BillingConnectionListAnswer = z.strictObject({ connections: z.array(BillingConnectionAnswer) }).meta({ id: 'BillingConnectionList' });
export type BillingConnectionListAnswer = z.infer<typeof BillingConnectionListAnswer>;

const Threshold = {
  alert_threshold_usd: z
    .number({ error: 'alert_threshold_usd must be a number of USD or null' })
    .positive({ error: 'alert_threshold_usd must be more than 0' })
    .max(1_000_000, { error: 'alert_threshold_usd must be at most 1,000,000' })
    .nullable()
    .optional()
    .describe('Alert when a settled day differs by at least this many USD; null: none'),
  alert_threshold_pct: z
    .number({ error: 'alert_threshold_pct must be a percentage or null' })
    .positive({ error: 'alert_threshold_pct must be more than 0' })
    .max(100_000, { error: 'alert_threshold_pct must be at most 100000' })
    .nullable()
    .optional()
    .describe('Alert when a settled day differs by at least this percentage of the bill; null: none'),
};

/** PUT /api/billing/connections/{provider}. */
export const BillingConnectionInput = z.strictObject({
  admin_key: z
    .string({ error: "admin_key is required: the provider's admin key (OpenAI: sk-admin-..., Anthropic: sk-ant-admin...)" })
    .trim()
    .min(8, { error: 'admin_key is too short to be an admin key' })
    .max(512, { error: 'admin_key is longer than 512 characters' }),
  ...Threshold,
});
export type BillingConnectionInput = z.infer<typeof BillingConnectionInput>;

/** PATCH /api/billing/connections/{provider}: the alert thresholds, without sending the key again. */
export const BillingConnectionPatch = z.strictObject(Threshold).refine((b) => b.alert_threshold_usd !== undefined || b.alert_threshold_pct !== undefined, {
  error: 'give alert_threshold_usd, alert_threshold_pct, or both',
});
export type BillingConnectionPatch = z.infer<typeof BillingConnectionPatch>;

/** A range of UTC days, both ends included. */
export const BillingRange = {
  from: LocalDate.optional().describe('First UTC day, YYYY-MM-DD'),
  to: LocalDate.optional().describe('Last UTC day, YYYY-MM-DD, included'),
};

/** POST /api/billing/reconcile. */
export const ReconcileInput = z.strictObject({
  ...BillingRange,
  provider: z.enum(BILLING_PROVIDERS, { error: `provider must be one of ${BILLING_PROVIDERS.join(', ')}` }).optional().describe('One provider; default: every connected one'),
});
export type ReconcileInput = z.infer<typeof ReconcileInput>;

const Compared = {
  tracked: Usd.describe('What LLMLab recorded, priced'),
  tracked_nanos: Nanos,
  billed: Usd.nullable().describe('What the provider billed; null when its bill for the day has not been read'),
  billed_nanos: Nanos.nullable(),
  difference: Usd.nullable().describe('billed - tracked: positive is spend LLMLab never saw'),
  difference_nanos: Nanos.nullable(),
  difference_pct: z.number().nullable().describe('difference as a percentage of billed; null when nothing was billed or the bill is unknown'),
};

export const ModelReconciliationAnswer = z
  .strictObject({
    model: z.string().nullable().describe("LLMLab's model id, or the provider's name for a model the price catalog lacks; null for a bill line naming no model"),
    line_item: z.string().nullable().describe('The bill line, when it names no model (tools, storage, fine-tuning)'),
    ...Compared,
    unpriced_calls: Count.describe('Calls LLMLab recorded without a price: their cost is missing from tracked'),
    line_items: z.array(z.strictObject({ line_item: z.string(), billed: Usd, billed_nanos: Nanos })).describe("The provider's lines behind the row"),
  })
  .meta({ id: 'ModelReconciliation' });
export type ModelReconciliationAnswer = z.infer<typeof ModelReconciliationAnswer>;

export const DayReconciliationAnswer = z
  .strictObject({
    date: LocalDate.describe('UTC day'),
    provider: z.enum(BILLING_PROVIDERS),
    ...Compared,
    settled: z.boolean().describe('false until 48 hours after the day ends: the provider may still add to it'),
    unpriced_calls: Count,
    models: z.array(ModelReconciliationAnswer),
  })
  .meta({ id: 'DayReconciliation' });
export type DayReconciliationAnswer = z.infer<typeof DayReconciliationAnswer>;

export const ProviderReconciliationAnswer = z
  .strictObject({
    provider: z.enum(BILLING_PROVIDERS),
    days_billed: Count.describe('Days of the range whose bill was read; the sums cover only these'),
    ...Compared,
    untracked: Usd.describe('Of the difference, what the provider billed beyond what LLMLab saw (0 when LLMLab saw more)'),
    untracked_nanos: Nanos,
    unpriced_calls: Count,
  })
  .meta({ id: 'ProviderReconciliation' });
export type ProviderReconciliationAnswer = z.infer<typeof ProviderReconciliationAnswer>;

/** GET /api/billing/reconciliation: connected providers only, newest day first. */
export const ReconciliationAnswer = z
  .strictObject({
    from: LocalDate,
    to: LocalDate,
    providers: z.array(ProviderReconciliationAnswer),
    days: z.array(DayReconciliationAnswer),
  })
  .meta({ id: 'Reconciliation' });
export type ReconciliationAnswer = z.infer<typeof ReconciliationAnswer>;

/** POST /api/billing/reconcile: what was read, and the comparison it gives. */
export const ReconcileAnswer = z
  .strictObject({
    synced: z.array(z.strictObject({ provider: z.enum(BILLING_PROVIDERS), days: Count, lines: Count, billed: Usd, billed_nanos: Nanos })),
    alerts_fired: Count,
    reconciliation: ReconciliationAnswer,
  })
  .meta({ id: 'ReconcileResult' });
export type ReconcileAnswer = z.infer<typeof ReconcileAnswer>;
