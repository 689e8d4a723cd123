import { z } from 'zod';
import { IsoTime } from './common.js';
import { ROLES } from './auth.js';

export const Email = z.email({ error: 'email must be a valid email address' }).max(254);
export const Password = z.string({ error: 'password must be a string' }).min(8, { error: 'password must be at least 8 characters' }).max(200);
const RoleField = z.enum(ROLES, { error: `role must be one of ${ROLES.join(', ')}` });

/** A person in the org. */
export const MemberAnswer = z
  .strictObject({
    user_id: z.string(),
    email: z.string(),
    name: z.string().nullable(),
    role: z.enum(ROLES),
    joined_at: IsoTime,
    last_seen_at: IsoTime.nullable().describe('When the member last used the dashboard or API in this org (minute precision); null if never since joining'),
  })
  .meta({ id: 'Member' });
export type MemberAnswer = z.infer<typeof MemberAnswer>;

/** GET /api/members: owners first, then by when they joined. */
export const MemberListAnswer = z.strictObject({ members: z.array(MemberAnswer) }).meta({ id: 'MemberList' });
export type MemberListAnswer = z.infer<typeof MemberListAnswer>;

/** PATCH /api/members/{user_id}. */
export const MemberPatch = z.strictObject({ role: RoleField });
export type MemberPatch = z.infer<typeof MemberPatch>;

/** POST /api/invitations. */
export const InvitationInput = z.strictObject({ email: Email, role: RoleField });
export type InvitationInput = z.infer<typeof InvitationInput>;

/** A pending invitation (accepted, revoked and expired ones are not listed). */
export const InvitationAnswer = z
  .strictObject({
    id: z.string(),
    email: z.string(),
    role: z.enum(ROLES),
    invited_by: z.strictObject({ user_id: z.string(), email: z.string() }).nullable(),
    created_at: IsoTime,
    expires_at: IsoTime,
  })
  .meta({ id: 'Invitation' });
export type InvitationAnswer = z.infer<typeof InvitationAnswer>;

/** POST /api/invitations: the link holds the single-use token, shown this once (and emailed when SMTP is set). */
export const CreatedInvitationAnswer = z
  .strictObject({
    ...InvitationAnswer.shape,
    invite_url: z.string().describe('The dashboard link to accept: <public URL>/invite?token=...; shown this once'),
    emailed: z.boolean().describe('The link was sent by email (SMTP is configured)'),
  })
  .meta({ id: 'CreatedInvitation' });
export type CreatedInvitationAnswer = z.infer<typeof CreatedInvitationAnswer>;

/** GET /api/invitations: pending, newest first. */
export const InvitationListAnswer = z.strictObject({ invitations: z.array(InvitationAnswer) }).meta({ id: 'InvitationList' });
export type InvitationListAnswer = z.infer<typeof InvitationListAnswer>;

/** POST /api/invitations/accept: a new person sends a password (and a name); a signed-in person sends only the token. */
export const InvitationAccept = z.strictObject({
  token: z.string().min(1, { error: 'token is required' }).max(200),
  password: Password.optional(),
  name: z.string().trim().min(1).max(100).optional(),
});
export type InvitationAccept = z.infer<typeof InvitationAccept>;

/** GET /api/invitations/lookup?token=: what the accept page shows before the person decides. */
export const InvitationPreviewAnswer = z
  .strictObject({
    email: z.string(),
    role: z.enum(ROLES),
    org: z.strictObject({ id: z.string(), name: z.string() }),
    account_exists: z.boolean().describe('An account with this email exists: accepting needs its password or its session'),
    expires_at: IsoTime,
  })
  .meta({ id: 'InvitationPreview' });
export type InvitationPreviewAnswer = z.infer<typeof InvitationPreviewAnswer>;

/** PATCH /api/org. */
export const OrgPatch = z.strictObject({ name: z.string().trim().min(1).max(100) });
export type OrgPatch = z.infer<typeof OrgPatch>;

export const OrgAnswer = z.strictObject({ id: z.string(), name: z.string() }).meta({ id: 'OrgSettings' });
export type OrgAnswer = z.infer<typeof OrgAnswer>;

/** Who made a change: a signed-in user (by email) or an API key (by its prefix). */
export const AuditActor = z.strictObject({
  type: z.enum(['user', 'key']),
  id: z.string().describe('The user id or the API key id'),
  email: z.string().nullable().describe('The user\'s email; null for a key'),
  key_prefix: z.string().nullable().describe('The key\'s prefix; null for a user'),
});
export type AuditActor = z.infer<typeof AuditActor>;

/** The actions the audit log records, as `<target>.<verb>`. */
export const AUDIT_ACTIONS = [
  'org.updated', 'org.deleted',
  'project.created', 'project.updated',
  'member.joined', 'member.role_changed', 'member.removed',
  'invitation.created', 'invitation.revoked', 'invitation.accepted',
  'api_key.created', 'api_key.revoked',
  'budget.created', 'budget.updated', 'budget.deleted',
  'rate_limit.created', 'rate_limit.updated', 'rate_limit.deleted',
  'alert_channel.created', 'alert_channel.updated', 'alert_channel.deleted',
  'price_override.created', 'price_override.deleted', 'prices.repriced', 'retention.applied',
  'gateway_settings.updated', 'provider_key.set', 'provider_key.deleted',
  'billing_connection.set', 'billing_connection.updated', 'billing_connection.deleted',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** One entry of the append-only audit log. Secrets never appear: keys and provider keys show as a prefix or `sk-...abcd`. */
export const AuditEntryAnswer = z
  .strictObject({
    id: z.string(),
    at: IsoTime,
    actor: AuditActor,
    action: z.enum(AUDIT_ACTIONS),
    target_type: z.string(),
    target_id: z.string().nullable(),
    project_id: z.string().nullable().describe('The project the change was made in; null for org-wide changes'),
    before: z.unknown().describe('The target before the change (null when created)'),
    after: z.unknown().describe('The target after the change (null when deleted)'),
    ip: z.string().nullable(),
    user_agent: z.string().nullable(),
  })
  .meta({ id: 'AuditEntry' });
export type AuditEntryAnswer = z.infer<typeof AuditEntryAnswer>;

/** GET /api/audit-log: newest first; `next_cursor` fetches the next page. */
export const AuditLogAnswer = z
  .strictObject({ entries: z.array(AuditEntryAnswer), next_cursor: z.string().nullable() })
  .meta({ id: 'AuditLog' });
export type AuditLogAnswer = z.infer<typeof AuditLogAnswer>;
