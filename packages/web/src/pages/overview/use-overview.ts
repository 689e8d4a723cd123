import { skipToken, useQuery } from '@tanstack/react-query';
import { useScope } from '../../api/session';
import type { Breakdown, Budget, GroupBy, Timeseries } from '../../api/types';
import type { View } from '../../filters/view';
import { type OverviewRequest, overviewRequests, requestKey } from './overview-requests';

/** A query of one descriptor; none (a request this view does not make) is skipped. */
function useRequest<T>(req: OverviewRequest | undefined) {
  const { api, projectId } = useScope();
  return useQuery({
    queryKey: req ? requestKey(projectId, req) : ['overview', projectId, 'skipped'],
    queryFn: req ? ({ signal }) => api.get<T>(req.path, req.query, signal) : skipToken,
  });
}

export function useOverview(view: View, groupBy: GroupBy) {
  const { api, projectId } = useScope();
  const reqs = overviewRequests(view, groupBy);
  return {
    timeseries: useRequest<Timeseries>(reqs.timeseries),
    models: useRequest<Breakdown>(reqs.models),
    features: useRequest<Breakdown>(reqs.features),
    previous: useRequest<Breakdown>(reqs.previous),
    month: useRequest<Breakdown>(reqs.month),
    previousMonth: useRequest<Breakdown>(reqs.previousMonth),
    today: useRequest<Breakdown>(reqs.today),
    yesterday: useRequest<Breakdown>(reqs.yesterday),
    keys: useRequest<Breakdown>(reqs.keys),
    budgets: useQuery({
      queryKey: ['budgets', projectId],
      queryFn: ({ signal }) => api.get<{ budgets: Budget[] }>('/api/budgets', undefined, signal),
    }),
  };
}

export type OverviewData = ReturnType<typeof useOverview>;
