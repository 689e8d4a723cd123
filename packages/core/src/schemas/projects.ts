import { z } from 'zod';
import { IsoTime } from './common.js';

/** A project of the org. */
export const ProjectAnswer = z.strictObject({ id: z.string(), name: z.string(), created_at: IsoTime }).meta({ id: 'Project' });
export type ProjectAnswer = z.infer<typeof ProjectAnswer>;

/** GET /api/projects: the org's projects (an API key sees its own only), oldest first. */
export const ProjectListAnswer = z.strictObject({ projects: z.array(ProjectAnswer) }).meta({ id: 'ProjectList' });
export type ProjectListAnswer = z.infer<typeof ProjectListAnswer>;
