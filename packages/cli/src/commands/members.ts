import { type ApiClient, connect } from '../api.js';
import { resolveSetting } from '../config-file.js';
import type { Role } from '../define/parsers.js';
import { CliError } from '../errors.js';
import { paint } from '../output/colors.js';
import { formatLocalDate, printJson, timeAgo } from '../output/format.js';
import { renderTable } from '../output/table.js';
import type { Member } from '../wire.js';

export interface MemberListOptions {
  tz?: string;
  json?: boolean;
}

/** The org's members, owners first (the server's order). Any role may list them. */
export async function fetchMembers(client: ApiClient): Promise<Member[]> {
  return (await client.get<{ members: Member[] }>('/api/members')).members;
}

/** The member with this email (in any case); the API names members by user id, people by email. */
async function findMember(client: ApiClient, email: string): Promise<Member> {
  const wanted = email.toLowerCase();
  const member = (await fetchMembers(client)).find((m) => m.email.toLowerCase() === wanted);
  if (!member) throw new CliError(`${email} is not a member of this org; \`llmlab members\` lists them.`);
  return member;
}

export async function listMembers(options: MemberListOptions): Promise<void> {
  const [client, tz] = await Promise.all([connect(), resolveSetting('timezone', options.tz)]);
  const members = await fetchMembers(client);
  if (options.json) {
    printJson(members);
    return;
  }
  process.stdout.write(`${renderMembers(members, tz.value as string, Date.now())}\n`);
}

export function renderMembers(members: Member[], tz: string, now: number): string {
  const c = paint();
  const rows = members.map((m) => {
    const seen = m.last_seen_at ? Date.parse(m.last_seen_at) : undefined;
    return [
      m.email,
      m.name ?? c.dim('-'),
      m.role === 'owner' ? c.bold(m.role) : m.role,
      formatLocalDate(m.joined_at, tz),
      seen === undefined ? c.dim('never') : (timeAgo(seen, now) ?? formatLocalDate(seen, tz)),
    ];
  });
  return renderTable(rows, { head: ['Email', 'Name', 'Role', 'Joined', 'Last seen'] });
}

export async function changeRole(email: string, role: Role, options: { json?: boolean }): Promise<void> {
  const client = await connect();
  const member = await findMember(client, email);
  const c = paint();
  if (member.role === role) {
    if (options.json) printJson(member);
    else process.stdout.write(`${member.email} is already ${role}; nothing changed.\n`);
    return;
  }
  const updated = await client.patch<Member>(`/api/members/${encodeURIComponent(member.user_id)}`, { role });
  if (options.json) {
    printJson(updated);
    return;
  }
  process.stdout.write(`${c.green('✔')} ${updated.email} is now ${c.bold(updated.role)} (was ${member.role})\n`);
}

export async function removeMember(email: string): Promise<void> {
  const client = await connect();
  const member = await findMember(client, email);
  await client.delete(`/api/members/${encodeURIComponent(member.user_id)}`);
  process.stdout.write(
    `${paint().green('✔')} Removed ${member.email} (${member.role}) from the org; the API keys they made no longer work.\n`,
  );
}
