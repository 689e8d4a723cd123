/** One stored answer of the proxy's response cache (migration 010). */
export interface ResponseCacheTable {
  project_id: string;
  /** SHA-256 (hex) of the provider, method, path and query, answer-shaping headers and canonical body (see cacheKeyOf). */
  key: string;
  provider: string;
  /** The model the stored answer named, which a hit is recorded and priced under. */
  model: string;
  status: number;
  content_type: string | null;
  /** The answer's bytes as the provider sent them (decoded): a JSON body or a whole event stream. */
  body: Uint8Array;
  size_bytes: number;
  input_tokens: number;
  output_tokens: number;
  cached_input_tokens: number;
  cache_write_tokens: number;
  reasoning_tokens: number;
  created_at: number;
  expires_at: number;
}

declare module '../db/schema.js' {
  interface Database {
    response_cache: ResponseCacheTable;
  }
}
