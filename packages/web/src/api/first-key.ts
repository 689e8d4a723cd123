import { type QueryClient, useQuery } from '@tanstack/react-query';

/**
 * The API key made at sign-up is shown once: it is kept in memory only (never in storage or
 * the URL) so the overview and the quick start can show it until the tab is closed.
 */
const KEY = ['first-api-key'];

export function rememberFirstKey(client: QueryClient, key: string): void {
  client.setQueryData(KEY, key);
}

export function useFirstKey(): string | undefined {
  const q = useQuery<string | null>({
    queryKey: KEY,
    queryFn: () => null,
    staleTime: Number.POSITIVE_INFINITY,
    gcTime: Number.POSITIVE_INFINITY,
  });
  return q.data ?? undefined;
}
