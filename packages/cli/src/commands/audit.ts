import { type ApiClient, connect } from '../api.js';
import { resolveSetting } from '../config-file.js';
import { usageError } from '../errors.js';
import { summarizeChange } from '../output/change.js';
import { paint } from '../output/colors.js';
import { formatLocalTime, printJson } from '../output/format.js';
import { renderTable } from '../output/table.js';
import { resolveTimeRange, type TimeRange } from '../time-range.js';
import type { AuditEntry, AuditPage, Member } from '../wire.js';
import { fetchMembers } from './members.js';

export interface AuditOptions {
  from?: string;
  to?: string;
  actor?: string;
  action?: string;
  limit: number;
  tz?: string;
  json?: boolean;
}

/** The most entries the server answers in one page. */
const PAGE_LIMIT = 200;

export async function showAuditLog(options: AuditOptions): Promise<void> {
  const tz = (await resolveSetting('timezone', options.tz)).value as string;
  if (options.action) await checkAction(options.action);
  const range = await resolveTimeRange(options, tz);
  const client = await connect();
  if (options.json) {
    printJson((await fetchEntries(client, options, range)).entries);
    return;
  }
  const [{ entries, more }, members] = await Promise.all([fetchEntries(client, options, range), fetchMembers(client)]);
  if (entries.length === 0) {
    const filtered = options.from || options.to || options.actor || options.action;
    process.stdout.write(filtered ? 'No audit entries match these filters.\n' : 'No audit entries yet.\n');
    return;
  }
  process.stdout.write(`${renderAuditLog(entries, tz, memberEmails(members, entries))}\n`);
  if (more) process.stdout.write(`${paint().dim(`Showing the newest ${entries.length} entries; --limit ${options.limit * 2} shows more.`)}\n`);
}

/** An unknown action fails before any request, with the list to pick from. */
async function checkAction(action: string): Promise<void> {
  const { AUDIT_ACTIONS } = await import('@llmlab/core');
  if (!(AUDIT_ACTIONS as readonly string[]).includes(action)) {
    throw usageError(`"${action}" is not an audit action; use one of ${AUDIT_ACTIONS.join(', ')}.`);
  }
}

/** Pages newest first, following next_cursor until `limit` entries or the end of the log. */
async function fetchEntries(client: ApiClient, options: AuditOptions, range: TimeRange): Promise<{ entries: AuditEntry[]; more: boolean }> {
  const entries: AuditEntry[] = [];
  let cursor: string | undefined;
  do {
    const page = await client.get<AuditPage>('/api/audit-log', {
      from: range.from,
      to: range.to,
      actor: options.actor,
      action: options.action,
      cursor,
      limit: Math.min(PAGE_LIMIT, options.limit - entries.length),
    });
    entries.push(...page.entries);
    cursor = page.entries.length > 0 ? (page.next_cursor ?? undefined) : undefined;
  } while (cursor && entries.length < options.limit);
  return { entries: entries.slice(0, options.limit), more: cursor !== undefined };
}

/**
 * User id to email, for member targets, which the log names by user id: from the members, and for
 * people removed since, from the entries themselves (their own actions, their removal).
 */
function memberEmails(members: Member[], entries: AuditEntry[]): Map<string, string> {
  const emails = new Map<string, string>();
  for (const e of entries) {
    if (e.actor.type === 'user' && e.actor.email) emails.set(e.actor.id, e.actor.email);
    const email = e.target_type === 'member' && e.target_id ? field(e, 'email') : undefined;
    if (email && e.target_id) emails.set(e.target_id, email);
  }
  for (const m of members) emails.set(m.user_id, m.email);
  return emails;
}

export function renderAuditLog(entries: AuditEntry[], tz: string, emails: Map<string, string>): string {
  const rows = entries.map((e) => [formatLocalTime(e.at, tz), describeActor(e.actor), e.action, describeTarget(e, emails), summarizeChange(e.before, e.after)]);
  return renderTable(rows, { head: [`Time (${tz})`, 'Actor', 'Action', 'Target', 'Change'] });
}

/** A user by email, a key by its prefix. */
function describeActor(actor: AuditEntry['actor']): string {
  if (actor.type === 'user') return actor.email ?? `user ${actor.id}`;
  return `key ${actor.key_prefix ?? actor.id}`;
}

/** "member ana@example.com", "budget Team", else the type and id. */
function describeTarget(entry: AuditEntry, emails: Map<string, string>): string {
  const member = entry.target_type === 'member' && entry.target_id ? emails.get(entry.target_id) : undefined;
  const label = member ?? field(entry, 'email') ?? field(entry, 'name') ?? entry.target_id;
  return label ? `${entry.target_type} ${label}` : entry.target_type;
}

function field(entry: AuditEntry, name: string): string | undefined {
  for (const side of [entry.after, entry.before]) {
    const value = side && typeof side === 'object' ? (side as Record<string, unknown>)[name] : undefined;
    if (typeof value === 'string' && value !== '') return value;
  }
  return undefined;
}
