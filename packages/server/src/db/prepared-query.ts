import { type Compilable, CompiledQuery, type Kysely } from 'kysely';
import type { Database } from './schema.js';

/**
 * A query built and compiled once per database and then run with new parameters: for the few
 * queries on every ingest request, where building and compiling costs more than running.
 * `build` receives the parameter placeholders in order and must use each exactly once, in order.
 * @example const byHash = preparedQuery((db, hash) => db.selectFrom('api_keys').selectAll().where('key_hash', '=', hash));
 */
export function preparedQuery<R>(build: (db: Kysely<Database>, ...params: string[]) => Compilable<R>) {
  const compiled = new WeakMap<Kysely<Database>, CompiledQuery<R>>();
  return async (db: Kysely<Database>, ...params: unknown[]): Promise<R[]> => {
    let query = compiled.get(db);
    if (!query) {
      query = build(db, ...params.map((_, i) => `\u0000param${i}`)).compile();
      const expected = params.map((_, i) => `\u0000param${i}`);
      if (query.parameters.length !== expected.length || query.parameters.some((p, i) => p !== expected[i])) {
        throw new Error('preparedQuery: the builder must use each parameter exactly once, in order');
      }
      compiled.set(db, query);
    }
    const result = await db.executeQuery<R>(CompiledQuery.raw(query.sql, params) as CompiledQuery<R>);
    return result.rows;
  };
}
