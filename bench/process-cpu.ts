/**
 * CPU time of processes from /proc (Linux), to tell a run's work on the database from its work in
 * the server processes when all of them share one machine's cores.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** USER_HZ: the unit of the times in /proc/<pid>/stat on every Linux. */
const TICKS_PER_S = 100;

interface Times {
  ppid: number;
  /** Its own user + system time, s. */
  own: number;
  /** Its children's that it has waited for (exited), s. */
  reaped: number;
}

function times(pid: number | 'self'): Times | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // After the command's closing parenthesis: state, ppid, ..., utime (12th), stime, cutime, cstime.
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ').map(Number);
    return { ppid: f[1], own: (f[11] + f[12]) / TICKS_PER_S, reaped: (f[13] + f[14]) / TICKS_PER_S };
  } catch {
    return null;
  }
}

/** CPU seconds used so far by the children of `pid`: those that exited and those still running. */
export function childrenCpu(pid: number): number {
  let total = times(pid)?.reaped ?? 0;
  for (const entry of readdirSync('/proc')) {
    const child = Number(entry);
    if (!Number.isInteger(child)) continue;
    const t = times(child);
    if (t?.ppid === pid) total += t.own + t.reaped;
  }
  return total;
}

/** CPU seconds used so far by `pid` and all its children (a PostgreSQL postmaster and its backends). */
export function treeCpu(pid: number): number {
  return (times(pid)?.own ?? 0) + childrenCpu(pid);
}

/** The parent of a process (a backend's postmaster). */
export function parentOf(pid: number): number {
  const t = times(pid);
  if (!t) throw new Error(`no process ${pid}`);
  return t.ppid;
}
