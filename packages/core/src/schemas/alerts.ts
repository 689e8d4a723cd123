import { z } from 'zod';
import { IsoTime } from './common.js';

export const CHANNEL_TYPES = ['webhook', 'slack', 'email'] as const;
export type ChannelType = (typeof CHANNEL_TYPES)[number];
/** What fired an alert: a budget threshold, a forecast over budget, an anomaly, a burst of unpriced calls, a provider's bill off from what LLMLab tracked. */
export const ALERT_KINDS = ['budget', 'forecast', 'anomaly', 'unpriced', 'reconciliation'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];
export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** An org's alert channel; `secret` (the webhook's signing key) only in the answer that created it. */
export const AlertChannelAnswer = z
  .strictObject({
    id: z.string(),
    type: z.enum(CHANNEL_TYPES),
    name: z.string(),
    target: z.string().describe('The URL of a webhook or Slack channel, the address of an email channel'),
    url: z.string().optional().describe('Webhook and Slack channels'),
    email: z.string().optional().describe('Email channels'),
    enabled: z.boolean(),
    created_at: IsoTime,
    secret: z.string().optional().describe('HMAC-SHA256 key of a webhook channel, returned once when it is created'),
  })
  .meta({ id: 'AlertChannel' });
export type AlertChannelAnswer = z.infer<typeof AlertChannelAnswer>;

/** GET /api/alert-channels: oldest first. */
export const AlertChannelListAnswer = z.strictObject({ channels: z.array(AlertChannelAnswer) }).meta({ id: 'AlertChannelList' });
export type AlertChannelListAnswer = z.infer<typeof AlertChannelListAnswer>;

/** POST /api/alert-channels/{id}/test: the target took the test alert (a failure is a 502 naming why). */
export const ChannelTestAnswer = z.strictObject({ delivered: z.literal(true) }).meta({ id: 'ChannelTest' });
export type ChannelTestAnswer = z.infer<typeof ChannelTestAnswer>;

/** A fired alert with its delivery to each channel. */
export const FiredAlertAnswer = z
  .strictObject({
    id: z.string(),
    type: z.enum(ALERT_KINDS),
    budget_id: z.string().nullable(),
    threshold: z.number().nullable().describe('Percent of the budget for threshold alerts'),
    period_key: z.string().describe('The budget period, the anomaly bucket or the hour the alert is about; it fires once per key'),
    message: z.string(),
    data: z.record(z.string(), z.unknown()).nullable().describe('The figures behind the alert, by type'),
    fired_at: IsoTime,
    deliveries: z.array(
      z.strictObject({
        channel_id: z.string(),
        channel_type: z.enum(CHANNEL_TYPES),
        status: z.enum(DELIVERY_STATUSES),
        attempts: z.number().int(),
        last_error: z.string().nullable(),
      }),
    ),
  })
  .meta({ id: 'FiredAlert' });
export type FiredAlertAnswer = z.infer<typeof FiredAlertAnswer>;

/** GET /api/alerts: newest first. */
export const FiredAlertListAnswer = z.strictObject({ alerts: z.array(FiredAlertAnswer) }).meta({ id: 'FiredAlertList' });
export type FiredAlertListAnswer = z.infer<typeof FiredAlertListAnswer>;

/** POST /api/alerts/evaluate: the alerts this check fired. */
export const AlertEvaluationAnswer = z.strictObject({ fired: z.array(FiredAlertAnswer) }).meta({ id: 'AlertEvaluation' });
export type AlertEvaluationAnswer = z.infer<typeof AlertEvaluationAnswer>;
