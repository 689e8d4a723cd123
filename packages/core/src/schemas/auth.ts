import { z } from 'zod';
import { EpochMs } from './common.js';
import { API_SCOPES } from './keys.js';

/** A member's role in an org: owners and admins hold every scope, members ingest and read. */
export const ROLES = ['owner', 'admin', 'member'] as const;
export type Role = (typeof ROLES)[number];

const UserAnswer = z.strictObject({ id: z.string(), email: z.string(), name: z.string().nullable() }).meta({ id: 'User' });
const OrgAnswer = z.strictObject({ id: z.string(), name: z.string() }).meta({ id: 'Org' });
const ProjectRef = z.strictObject({ id: z.string(), name: z.string() });

/** POST /api/auth/signup: a session, the org, its default project and that project's first key (shown once). */
export const SignupAnswer = z
  .strictObject({
    token: z.string().describe('Session token (llms_...)'),
    csrf_token: z.string().describe('Send it as x-llmlab-csrf on cookie-authenticated writes'),
    api_key: z.string().describe('The default project key (scopes ingest and read), shown this once'),
    user: UserAnswer,
    org: OrgAnswer,
    project: ProjectRef,
  })
  .meta({ id: 'Signup' });
export type SignupAnswer = z.infer<typeof SignupAnswer>;

/** POST /api/auth/login: a new session on the user's first org and its first project. */
export const LoginAnswer = z
  .strictObject({ token: z.string(), csrf_token: z.string(), user: UserAnswer, org: OrgAnswer, project: ProjectRef.nullable() })
  .meta({ id: 'Login' });
export type LoginAnswer = z.infer<typeof LoginAnswer>;

const MeProject = z.strictObject({ id: z.string(), name: z.string(), created_at: EpochMs });

/** GET /api/me: who the credential acts as, and on which project. */
export const MeAnswer = z
  .strictObject({
    user: UserAnswer.nullable().describe('null for an API key'),
    org: OrgAnswer,
    project: MeProject,
    projects: z.array(MeProject).describe("A session: the org's projects; an API key: its own project"),
    role: z.enum(ROLES).nullable().describe('null for an API key'),
    auth: z.enum(['session', 'api_key']),
    scopes: z.array(z.enum(API_SCOPES)),
  })
  .meta({ id: 'Me' });
export type MeAnswer = z.infer<typeof MeAnswer>;
