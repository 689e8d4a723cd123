import type { Db } from '../db/database.js';
import type { EventInsert } from '../db/schema.js';

export type { EventInsert };

interface Pending {
  rows: EventInsert[];
  resolve(inserted: Set<string>): void;
  reject(err: unknown): void;
}

const MAX_ROWS_PER_COMMIT = 5000;

/**
 * Group commit: writes that arrive while a transaction is running are written together in the
 * next one, so fifty concurrent single-event requests cost one commit, not fifty. Each caller
 * still learns exactly which of its rows were new (by row id), and a failing group is retried
 * caller by caller so one bad write never fails another's.
 */
export class EventWriter {
  private queue: Pending[] = [];
  private scheduled = false;
  /** Groups handed to the storage driver and not committed yet: at most its writeConcurrency. */
  private inFlight = 0;
  constructor(private readonly db: Db) {}

  /** Inserts the rows (skipping event_ids already stored) and their rollups; resolves with the new row ids. */
  write(rows: EventInsert[]): Promise<Set<string>> {
    return new Promise((resolve, reject) => {
      this.queue.push({ rows, resolve, reject });
      // Writes that arrive in the same turn of the event loop go together.
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => {
          this.scheduled = false;
          this.pump();
        });
      }
    });
  }

  private pump(): void {
    while (this.queue.length && this.inFlight < this.db.writeConcurrency) {
      const group: Pending[] = [];
      let size = 0;
      while (this.queue.length && (group.length === 0 || size + this.queue[0].rows.length <= MAX_ROWS_PER_COMMIT)) {
        const next = this.queue.shift() as Pending;
        size += next.rows.length;
        group.push(next);
      }
      this.inFlight++;
      void this.settle(group).finally(() => {
        this.inFlight--;
        this.pump();
      });
    }
  }

  private async settle(group: Pending[]): Promise<void> {
    try {
      const inserted = await this.commit(group.flatMap((p) => p.rows));
      for (const p of group) p.resolve(inserted);
    } catch (err) {
      if (group.length === 1) group[0].reject(err);
      else for (const p of group) await this.commit(p.rows).then(p.resolve, p.reject);
    }
  }

  private commit(rows: EventInsert[]): Promise<Set<string>> {
    return this.db.writeEvents(rows);
  }
}

const writers = new WeakMap<Db, EventWriter>();

/** The process's one writer for a database. */
export function eventWriter(db: Db): EventWriter {
  let w = writers.get(db);
  if (!w) {
    w = new EventWriter(db);
    writers.set(db, w);
  }
  return w;
}
