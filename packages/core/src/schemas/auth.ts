import { z } from 'zod';
import { EpochMs } from './common.js';
import { API_SCOPES } from './keys.js';

/**
 * A member's role in an org, highest first. viewer reads; member also tracks events, makes its
 * own ingest/read keys and tests alert channels; admin also changes the org's settings, keys and
 * members below owner; owner also changes owners and deletes the org.
 */
export const ROLES = ['owner', 'admin', 'member', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

const ROLE_RANK: Record<Role, number> = { viewer: 0, member: 1, admin: 2, owner: 3 };

/**
 * True when `role` holds at least the rights of `least`.
 * @example roleAtLeast('admin', 'member') // true
 */
export function roleAtLeast(role: Role, least: Role): boolean {
  return ROLE_RANK[role] >= ROLE_RANK[least];
}

/** The lower of two roles. */
export function lowerRole(a: Role, b: Role): Role {
  return ROLE_RANK[a] <= ROLE_RANK[b] ? a : b;
}

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
    role: z.enum(ROLES).nullable().describe("The session's role in the org; for an API key, the role it acts with (its creator's, capped by its scopes), null when its creator is unknown"),
    orgs: z
      .array(z.strictObject({ id: z.string(), name: z.string(), role: z.enum(ROLES), default_project_id: z.string().nullable() }))
      .describe('A session: every org the user belongs to (switch org by sending a project of it); an API key: its own org'),
    auth: z.enum(['session', 'api_key']),
    scopes: z.array(z.enum(API_SCOPES)),
  })
  .meta({ id: 'Me' });
export type MeAnswer = z.infer<typeof MeAnswer>;
