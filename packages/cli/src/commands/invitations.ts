import { connect } from '../api.js';
import { resolveSetting } from '../config-file.js';
import type { Role } from '../define/parsers.js';
import { CliError } from '../errors.js';
import { paint } from '../output/colors.js';
import { formatLocalDate, formatLocalTime, printJson } from '../output/format.js';
import { renderTable } from '../output/table.js';
import type { CreatedInvitation, Invitation } from '../wire.js';

export interface InviteOptions {
  role: Role;
  json?: boolean;
}

/** Invites by email and prints the single-use link: the server shows it this once. */
export async function inviteMember(email: string, options: InviteOptions): Promise<void> {
  const [client, tz] = await Promise.all([connect(), resolveSetting('timezone')]);
  const created = await client.post<CreatedInvitation>('/api/invitations', { email, role: options.role });
  if (options.json) {
    printJson(created);
    return;
  }
  const c = paint();
  const until = formatLocalDate(created.expires_at, tz.value as string);
  const how = created.emailed ? ' and emailed them the link; it works once' : '; send them this link, which works once';
  process.stdout.write(`${c.green('✔')} Invited ${created.email} as ${c.bold(created.role)}${how}, until ${until}:\n  ${created.invite_url}\n`);
}

export async function listInvitations(options: { tz?: string; json?: boolean }): Promise<void> {
  const [client, tz] = await Promise.all([connect(), resolveSetting('timezone', options.tz)]);
  const { invitations } = await client.get<{ invitations: Invitation[] }>('/api/invitations');
  if (options.json) {
    printJson(invitations);
    return;
  }
  if (invitations.length === 0) {
    process.stdout.write('No pending invitations; invite someone with `llmlab members invite EMAIL`.\n');
    return;
  }
  process.stdout.write(`${renderInvitations(invitations, tz.value as string)}\n`);
}

export function renderInvitations(invitations: Invitation[], tz: string): string {
  const c = paint();
  const rows = invitations.map((i) => [
    i.email,
    i.role,
    i.invited_by?.email ?? c.dim('-'),
    formatLocalTime(i.created_at, tz),
    formatLocalDate(i.expires_at, tz),
    c.dim(i.id),
  ]);
  return renderTable(rows, { head: ['Email', 'Role', 'Invited by', 'Sent', 'Expires', 'ID'] });
}

/** Revokes the pending invitation with this id or to this email; its link stops working. */
export async function revokeInvitation(idOrEmail: string): Promise<void> {
  const client = await connect();
  const wanted = idOrEmail.trim();
  const { invitations } = await client.get<{ invitations: Invitation[] }>('/api/invitations');
  const invitation = invitations.find((i) => i.id === wanted || i.email.toLowerCase() === wanted.toLowerCase());
  if (!invitation) {
    throw new CliError(`No pending invitation has the id or email "${wanted}"; \`llmlab members invitations\` lists them.`);
  }
  await client.delete(`/api/invitations/${encodeURIComponent(invitation.id)}`);
  process.stdout.write(`${paint().green('✔')} Revoked the invitation of ${invitation.email} (${invitation.role}); its link no longer works.\n`);
}
