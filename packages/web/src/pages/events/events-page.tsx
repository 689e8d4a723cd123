import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useCallback, useState } from 'react';
import { buildPath } from '../../api/client';
import { useScope } from '../../api/session';
import type { EventPage, LlmEvent } from '../../api/types';
import { RetentionNotice } from '../../components/retention-notice';
import { ErrorState, Loading } from '../../components/states';
import { FilterBar } from '../../filters/filter-bar';
import { hasFilters, rangeQuery, readView, type View } from '../../filters/view';
import { Link } from '../../router/link';
import { hrefWithShared, useLocation } from '../../router/location';
import { EventDrawer } from './event-drawer';
import { EventsTable } from './events-table';

const PAGE_SIZE = 50;

export default function EventsPage() {
  const loc = useLocation();
  const { projectId } = useScope();
  const view = readView(loc.params);
  const query = { project_id: projectId, ...rangeQuery(view.range, view) };
  const exportHref = buildPath('/api/export', { format: 'csv', ...query });
  // A new range or filter starts again at the first page.
  const viewKey = JSON.stringify(query);

  return (
    <section className="page" aria-labelledby="events-title">
      <div className="page-head">
        <h1 id="events-title">Events</h1>
        <a className="btn" href={exportHref} download data-testid="export-csv">
          Export CSV
        </a>
      </div>
      <FilterBar view={view} />
      <EventList key={viewKey} view={view} quickstartHref={hrefWithShared('/quickstart', loc.params)} />
    </section>
  );
}

function EventList({ view, quickstartHref }: { view: View; quickstartHref: string }) {
  const { api, projectId } = useScope();
  // Cursors of the pages before the current one, so "Previous" can go back without a server cursor.
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const [open, setOpen] = useState<LlmEvent | null>(null);
  const close = useCallback(() => setOpen(null), []);
  const cursor = cursors[cursors.length - 1];
  const page = useQuery({
    queryKey: ['events', projectId, rangeQuery(view.range, view), cursor],
    queryFn: ({ signal }) =>
      api.get<EventPage>('/api/events', { ...rangeQuery(view.range, view), limit: PAGE_SIZE, cursor }, signal),
    placeholderData: keepPreviousData,
  });

  if (page.isPending) return <Loading label="Loading events…" />;
  if (page.error) return <ErrorState error={page.error} onRetry={() => page.refetch()} />;
  const events = page.data.events;
  const pageNo = cursors.length;

  return (
    <section className="panel" aria-label="Events">
      <RetentionNotice since={page.data.raw_events_since} />
      {events.length === 0 ? (
        <p className="muted empty-inline" data-testid="events-empty">
          {hasFilters(view.filters)
            ? 'No call matches these filters in this range. Clear a filter or widen the range.'
            : 'No calls recorded in this range yet. '}
          {!hasFilters(view.filters) && <Link href={quickstartHref}>Send your first event</Link>}
        </p>
      ) : (
        <EventsTable events={events} onOpen={setOpen} />
      )}
      <div className="pager">
        <button type="button" className="btn btn-small" disabled={pageNo === 1} onClick={() => setCursors((c) => c.slice(0, -1))}>
          Previous
        </button>
        <span className="muted" aria-live="polite">
          Page {pageNo}
          {page.isFetching ? ' · loading…' : ''}
        </span>
        <button
          type="button"
          className="btn btn-small"
          disabled={!page.data.next_cursor}
          onClick={() => setCursors((c) => [...c, page.data.next_cursor])}
        >
          Next
        </button>
      </div>
      {open && <EventDrawer event={open} onClose={close} />}
    </section>
  );
}
