import type { Db } from './database.js';

const MAX_ENTRIES = 10_000;

/**
 * A read-through cache for the few rows read on every ingest request (API keys, price
 * overrides). Only where this process is the database's one writer (`Db.soleWriter`: a SQLite
 * file, see docs/deployment.md): every change to those rows goes through this process, which drops the
 * cached copy in the same step, so a cached read is never stale (a revoked key is refused on
 * the next request). On PostgreSQL several processes share the database and nothing is cached.
 */
export class OwnedCache<V> {
  private readonly entries = new WeakMap<Db, Map<string, V>>();
  /** Bumped by every forget(): a load that started before a change must not cache what it read. */
  private generation = 0;

  /** The cached value, else `load()`'s, kept unless it is undefined (a miss is asked again). */
  async get(db: Db, key: string, load: () => Promise<V | undefined>): Promise<V | undefined> {
    if (!db.soleWriter) return load();
    let map = this.entries.get(db);
    const hit = map?.get(key);
    if (hit !== undefined) return hit;
    const generation = this.generation;
    const value = await load();
    if (value === undefined || generation !== this.generation) return value;
    if (!map) {
      map = new Map();
      this.entries.set(db, map);
    }
    if (map.size >= MAX_ENTRIES) map.clear();
    map.set(key, value);
    return value;
  }

  /** Drops one key's value, or every value of this database. Call it after the write commits. */
  forget(db: Db, key?: string): void {
    this.generation++;
    if (key === undefined) this.entries.delete(db);
    else this.entries.get(db)?.delete(key);
  }
}
