// The SQLite event writer's thread (see writer-thread.ts). Plain JavaScript on purpose: it needs
// nothing but better-sqlite3, and loads the same under tsx, vitest and plain Node.
import { parentPort, workerData } from 'node:worker_threads';
import SQLite from 'better-sqlite3';

const { file, pragmas, insertSql, upsertSql, summed, numeric } = workerData;
const numericCount = numeric.filter(Boolean).length;
const textCount = numeric.length - numericCount;
const db = new SQLite(file);
for (const p of pragmas) db.pragma(p);
const insert = db.prepare(insertSql);
const upsert = db.prepare(upsertSql);

/**
 * One group commit of `count` rows, their columns packed: `nums` holds the numeric columns and
 * `strs` (a JSON array) the others, row after row, in the insert's column order. Every row is inserted unless its (project_id, event_id) is stored already, and
 * the rollup groups of the rows that were new, in one transaction. `rowGroup[i]` is row i's
 * rollup group; `sums` holds each row's `summed` contributions, row after row.
 */
const write = db.transaction(({ count, nums, strs, groups, rowGroup, sums }) => {
  const texts = JSON.parse(strs);
  const values = new Array(numeric.length);
  const inserted = new Uint8Array(count);
  const totals = new Float64Array(groups.length * summed);
  const touched = new Uint8Array(groups.length);
  for (let i = 0; i < count; i++) {
    let n = i * numericCount;
    let t = i * textCount;
    for (let c = 0; c < numeric.length; c++) {
      if (numeric[c]) {
        const v = nums[n++];
        values[c] = Number.isNaN(v) ? null : v;
      } else values[c] = texts[t++];
    }
    if (insert.run(values).changes !== 1) continue;
    inserted[i] = 1;
    const g = rowGroup[i];
    touched[g] = 1;
    for (let k = 0; k < summed; k++) totals[g * summed + k] += sums[i * summed + k];
  }
  for (let g = 0; g < groups.length; g++) {
    if (!touched[g]) continue;
    upsert.run([...groups[g], ...totals.subarray(g * summed, (g + 1) * summed)]);
  }
  return inserted;
});

parentPort.on('message', (message) => {
  if (message.close) {
    db.close();
    parentPort.close();
    return;
  }
  try {
    const inserted = write(message);
    parentPort.postMessage({ id: message.id, inserted }, [inserted.buffer]);
  } catch (err) {
    parentPort.postMessage({ id: message.id, error: { message: String(err?.message ?? err), code: err?.code } });
  }
});
