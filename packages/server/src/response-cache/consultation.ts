import type { ServerResponse } from 'node:http';
import type { Attribution } from '../proxy/attribution.js';
import type { RequestHeaders } from '../proxy/headers.js';
import type { InspectedRequest } from '../proxy/inspect-request.js';
import type { ProjectProfile } from '../proxy/project-profiles.js';
import type { ProviderSpec } from '../proxy/providers.js';

/** A proxied call as admit() knows it when it asks the cache. */
export interface CacheConsultation {
  spec: ProviderSpec;
  method: string;
  headers: RequestHeaders;
  request: InspectedRequest;
  /** The path and query for the provider, and the path alone. */
  target: string;
  path: string;
  profile: ProjectProfile | undefined;
  /** The LLMLab key the call came with, which records the hit. */
  key: string;
  attribution: Attribution;
  databaseDown: boolean;
  startedAt: number;
  started: number;
  outgoing?: ServerResponse;
}
