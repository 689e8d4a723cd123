import { useQuery } from '@tanstack/react-query';
import { useScope } from '../api/session';
import type { Project } from '../api/types';
import { formatTime } from './format';

/** The current project, from the project list every page may share (Settings reads the same query). */
export function useCurrentProject(): Project | undefined {
  const { api, projectId } = useScope();
  const projects = useQuery({
    queryKey: ['projects', projectId],
    queryFn: ({ signal }) => api.get<{ projects?: Project[] } | Project[]>('/api/projects', undefined, signal),
  });
  const list = Array.isArray(projects.data) ? projects.data : (projects.data?.projects ?? []);
  return list.find((p) => p.id === projectId);
}

/**
 * Says that an answer read from raw events starts late because the project's retention removed
 * the older ones (`since`, an answer's raw_events_since), and that totals still include them.
 * Nothing when the answer covers its whole range.
 */
export function RetentionNotice({ since, subject = 'Events' }: { since: string | null | undefined; subject?: string }) {
  if (!since) return null;
  return <RetentionNoticeText since={since} subject={subject} />;
}

function RetentionNoticeText({ since, subject }: { since: string; subject: string }) {
  const days = useCurrentProject()?.retention_days;
  return (
    <p className="notice notice-info" role="status" data-testid="retention-notice">
      {subject} before {formatTime(since)} were removed by the {days ? `${days}-day ` : ''}retention; totals still include them.
    </p>
  );
}
