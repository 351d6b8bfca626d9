/**
 * CPU time of the machine's processes by name, from /proc (Linux), so a bench can say where the
 * CPU went during a phase: the bot, Postgres, Redis, the bench itself. Other work on the machine
 * (another test run) lands in the same Postgres and Redis processes: read these on a quiet machine.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

let ticksPerSecond: number | undefined;
function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

export interface CpuSnapshot {
  /** CPU ms so far (user + system) by process name (`comm`), over the processes alive now. */
  byName: Map<string, number>;
  /** Whole machine: busy and total ms over all cores since boot (/proc/stat). */
  machineBusyMs: number;
  machineTotalMs: number;
}

export function cpuSnapshot(): CpuSnapshot {
  const tick = 1000 / clockTicks();
  const byName = new Map<string, number>();
  let pids: string[] = [];
  try {
    pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    /* not Linux */
  }
  for (const pid of pids) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue; // exited meanwhile
    }
    const open = stat.indexOf('(');
    const close = stat.lastIndexOf(')');
    const name = stat.slice(open + 1, close);
    const fields = stat.slice(close + 2).split(' ');
    // Fields after the name start at field 3 (state): utime is field 14, stime field 15.
    const ms = (Number(fields[11]) + Number(fields[12])) * tick;
    byName.set(name, (byName.get(name) ?? 0) + ms);
  }
  let machineBusyMs = 0;
  let machineTotalMs = 0;
  try {
    const cpuLine = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = cpuLine;
    machineBusyMs = (user + nice + system + irq + softirq + steal) * tick;
    machineTotalMs = machineBusyMs + (idle + iowait) * tick;
  } catch {
    /* not Linux */
  }
  return { byName, machineBusyMs, machineTotalMs };
}

/**
 * CPU ms spent between two snapshots by the processes named `names` (a process that exited in
 * between is lost, one started in between counts from zero), and the machine's busy share.
 */
export function cpuBetween(
  before: CpuSnapshot,
  after: CpuSnapshot,
  names: readonly string[],
): { byName: Record<string, number>; machineBusy: number } {
  const byName: Record<string, number> = {};
  for (const name of names) byName[name] = Math.max(0, (after.byName.get(name) ?? 0) - (before.byName.get(name) ?? 0));
  const total = after.machineTotalMs - before.machineTotalMs;
  return { byName, machineBusy: total > 0 ? (after.machineBusyMs - before.machineBusyMs) / total : Number.NaN };
}
