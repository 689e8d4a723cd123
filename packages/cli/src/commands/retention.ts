import { connect } from '../api.js';
import { paint } from '../output/colors.js';
import { formatCount, printJson } from '../output/format.js';
import type { Me, Project, RetentionApplyResult } from '../wire.js';

export interface RetentionOptions {
  apply?: boolean;
  json?: boolean;
}

/** What the project keeps, in one sentence. */
function describeRetention(p: Project): string {
  const kept = p.retention_days === null ? 'Raw events are kept forever' : `Raw events are kept for ${formatCount(p.retention_days)} day${p.retention_days === 1 ? '' : 's'}`;
  const removed = p.raw_events_since ? `; those before ${p.raw_events_since} were removed` : '';
  return `${kept}${removed} (project ${p.name}). Hourly totals are always kept.`;
}

/**
 * `llmlab config retention [days|off]`: shows the key's project's retention of raw events, or
 * sets it (PATCH /api/projects/{id}); with --apply, removes the expired events now.
 */
export async function manageRetention(days: number | null | undefined, options: RetentionOptions): Promise<void> {
  const client = await connect();
  const me = await client.get<Me>('/api/me');
  const changed = days === undefined ? undefined : await client.patch<Project>(`/api/projects/${encodeURIComponent(me.project.id)}`, { retention_days: days });
  const applied = options.apply ? await client.post<RetentionApplyResult>('/api/admin/retention/apply', {}) : undefined;
  // After an apply the project says where the removed events ended.
  const project = changed && !applied ? changed : (await client.get<{ projects: Project[] }>('/api/projects')).projects.find((p) => p.id === me.project.id);
  if (options.json) {
    printJson(applied ? { project, applied } : { project });
    return;
  }
  const c = paint();
  const lines: string[] = [];
  if (project) lines.push(`${days === undefined ? '' : `${c.green('✔')} `}${describeRetention(project)}`);
  if (applied) lines.push(`${c.green('✔')} Removed ${formatCount(applied.deleted)} expired raw event${applied.deleted === 1 ? '' : 's'}.`);
  else if (days != null) lines.push(c.dim('Older events are removed within the hour; add --apply to remove them now.'));
  process.stdout.write(`${lines.join('\n')}\n`);
}
