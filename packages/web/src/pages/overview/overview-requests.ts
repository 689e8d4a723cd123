import type { Query } from '../../api/client';
import type { GroupBy } from '../../api/types';
import { dayWindows, monthWindows, rangeQuery, type View } from '../../filters/view';

/**
 * Every request the overview makes for a view, as plain descriptors: the page turns them into
 * queries and the dashboard benchmark replays exactly the same set against a big project.
 */
export interface OverviewRequest {
  name: string;
  path: string;
  query: Query;
}

function breakdown(name: string, range: { from: number; to: number }, view: View, groupBy: GroupBy): OverviewRequest {
  return { name, path: '/api/costs/breakdown', query: { ...rangeQuery(range, view), group_by: groupBy } };
}

export function overviewRequests(view: View, groupBy: GroupBy, now = Date.now()) {
  const month = monthWindows(view, now);
  const day = dayWindows(view, now);
  return {
    timeseries: {
      name: 'timeseries',
      path: '/api/costs/timeseries',
      query: { ...rangeQuery(view.range, view), granularity: 'day', group_by: groupBy },
    } satisfies OverviewRequest,
    models: breakdown('breakdown by model', view.range, view, 'model'),
    features: breakdown('breakdown by feature', view.range, view, 'feature'),
    previous: breakdown('previous period', view.previous, view, 'provider'),
    month: breakdown('month to date', month.current, view, 'provider'),
    previousMonth: breakdown('last month to date', month.previous, view, 'provider'),
    today: breakdown('today', day.current, view, 'provider'),
    yesterday: breakdown('yesterday', day.previous, view, 'provider'),
    // Read from raw events, so asked for only when the chart is stacked by key.
    ...(groupBy === 'api_key' ? { keys: breakdown('breakdown by API key', view.range, view, 'api_key') } : {}),
  };
}

/** The react-query key of a descriptor: the same request shares one cache entry across pages. */
export function requestKey(projectId: string, req: OverviewRequest): unknown[] {
  const q = req.query;
  if (req.path === '/api/costs/breakdown') {
    const { from, to, tz, group_by, ...filters } = q;
    return ['breakdown', projectId, group_by, from, to, tz, filters];
  }
  return [req.path, projectId, q];
}
