import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useCan } from '../../api/permissions';
import { useScope } from '../../api/session';
import type { AuditLog, Member } from '../../api/types';
import { EmptyState, ErrorState, Loading } from '../../components/states';
import { viewerTimeZone } from '../../filters/time';
import { AuditFilterForm } from './audit-filters';
import { type AuditFilters, auditQuery, isFiltered, NO_FILTERS } from './audit-query';
import { AuditTable } from './audit-table';

const PAGE_SIZE = 50;

export default function AuditPage() {
  const { me } = useScope();
  const can = useCan('admin', 'read the audit log');
  return (
    <section className="page" aria-labelledby="audit-title">
      <div className="page-head">
        <h1 id="audit-title">Audit log</h1>
      </div>
      <p className="muted page-intro">
        Every change made in {me.org.name}, by a person or an API key: members and invitations, projects, keys, budgets, alert
        channels, prices and gateway settings. Entries are never edited or deleted; secrets never appear.
      </p>
      {can.allowed ? (
        <AuditLogView />
      ) : (
        <EmptyState title="The audit log is for admins">
          <p>{can.reason}</p>
        </EmptyState>
      )}
    </section>
  );
}

function AuditLogView() {
  const { api, me } = useScope();
  const [filters, setFilters] = useState<AuditFilters>(NO_FILTERS);
  const tz = viewerTimeZone();
  // The log belongs to the org: every project of it reads the same entries.
  const log = useInfiniteQuery({
    queryKey: ['audit-log', me.org.id, filters, tz],
    queryFn: ({ pageParam, signal }) =>
      api.get<AuditLog>('/api/audit-log', { ...auditQuery(filters, tz), limit: PAGE_SIZE, cursor: pageParam }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
  const entries = log.data?.pages.flatMap((p) => p.entries) ?? [];
  // A member entry names the member by id only: the members list (shared with Settings) gives the email.
  const members = useQuery({
    queryKey: ['members', me.org.id],
    queryFn: ({ signal }) => api.get<{ members: Member[] }>('/api/members', undefined, signal),
  });
  const emails = new Map((members.data?.members ?? []).map((m) => [m.user_id, m.email]));

  return (
    <>
      <AuditFilterForm applied={filters} onApply={setFilters} />
      <section className="panel" aria-label="Audit entries">
        {log.isPending ? (
          <Loading />
        ) : !log.data ? (
          <ErrorState error={log.error} onRetry={() => log.refetch()} />
        ) : entries.length === 0 ? (
          <EmptyState title={isFiltered(filters) ? 'No entry matches these filters' : 'No change recorded yet'} />
        ) : (
          <>
            <AuditTable entries={entries} emails={emails} />
            <div className="pager">
              <span className="muted small" data-testid="audit-count">
                {entries.length} {entries.length === 1 ? 'entry' : 'entries'}
                {log.hasNextPage ? ', newest first' : ', all shown'}
              </span>
              {log.hasNextPage && (
                <button type="button" className="btn" onClick={() => log.fetchNextPage()} disabled={log.isFetchingNextPage}>
                  {log.isFetchingNextPage ? 'Loading…' : 'Load more'}
                </button>
              )}
            </div>
            {/* A failed "load more" keeps the entries already shown. */}
            {log.error && <ErrorState error={log.error} title="Could not load more" />}
          </>
        )}
      </section>
    </>
  );
}
