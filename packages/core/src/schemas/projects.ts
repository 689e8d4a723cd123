import { z } from 'zod';
import { Count, IsoTime } from './common.js';

/** The longest retention of raw events a project may set: ten years. */
export const MAX_RETENTION_DAYS = 3650;

/** A project's name, as created and renamed. */
export const ProjectName = z.string({ error: 'name must be a string' }).trim().min(1, { error: 'name must not be empty' }).max(100);

const RETENTION_RULE = `retention_days must be a whole number of days from 1 to ${MAX_RETENTION_DAYS}, or null to keep raw events forever`;

/** How many days a project keeps its raw events; null keeps them forever. */
export const RetentionDays = z
  .number({ error: RETENTION_RULE })
  .int({ error: RETENTION_RULE })
  .min(1, { error: RETENTION_RULE })
  .max(MAX_RETENTION_DAYS, { error: RETENTION_RULE })
  .nullable();

/** A project of the org. */
export const ProjectAnswer = z
  .strictObject({
    id: z.string(),
    name: z.string(),
    created_at: IsoTime,
    retention_days: z
      .number()
      .int()
      .min(1)
      .max(MAX_RETENTION_DAYS)
      .nullable()
      .describe('Raw events older than this many days are removed (hourly totals are kept); null keeps them forever'),
    raw_events_since: IsoTime.nullable().describe('Retention removed the raw events before this instant; null when none were removed'),
  })
  .meta({ id: 'Project' });
export type ProjectAnswer = z.infer<typeof ProjectAnswer>;

/** GET /api/projects: the org's projects (an API key sees its own only), oldest first. */
export const ProjectListAnswer = z.strictObject({ projects: z.array(ProjectAnswer) }).meta({ id: 'ProjectList' });
export type ProjectListAnswer = z.infer<typeof ProjectListAnswer>;

/** PATCH /api/projects/{id}: rename it, set how long it keeps raw events, or both. */
export const ProjectPatch = z
  .strictObject({
    name: ProjectName.optional(),
    retention_days: RetentionDays.optional().describe(
      `Days of raw events to keep, 1 to ${MAX_RETENTION_DAYS}; null keeps them forever (the default). Hourly totals are always kept`,
    ),
  })
  .refine((p) => p.name !== undefined || p.retention_days !== undefined, { error: 'send name, retention_days or both' });
export type ProjectPatch = z.infer<typeof ProjectPatch>;

/** POST /api/admin/retention/apply: how many raw events the run removed. */
export const RetentionApplyAnswer = z
  .strictObject({ deleted: Count.describe('Raw events removed by this run (another run at the same time counts its own)') })
  .meta({ id: 'RetentionApply' });
export type RetentionApplyAnswer = z.infer<typeof RetentionApplyAnswer>;
