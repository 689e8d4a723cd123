import type { ProjectAnswer } from '@llmlab/core';
import type { ProjectsTable } from '../db/schema.js';

/** A project as the API shows it. */
export function presentProject(row: Pick<ProjectsTable, 'id' | 'name' | 'created_at' | 'retention_days' | 'raw_events_since'>): ProjectAnswer {
  return {
    id: row.id,
    name: row.name,
    created_at: new Date(row.created_at).toISOString(),
    retention_days: row.retention_days,
    raw_events_since: row.raw_events_since === null ? null : new Date(row.raw_events_since).toISOString(),
  };
}
