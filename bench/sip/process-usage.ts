/**
 * CPU time and memory of the system under test, read from /proc (proc(5)) so that
 * Provod (this Node process) and Kamailio (a main process and its forked workers) are
 * measured the same way. Memory is PSS (`/proc/<pid>/smaps_rollup`): shared memory counts
 * once across Kamailio's processes instead of once per process as RSS would.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** A process and, when `descendants` is set, every process forked below it. */
export interface ProcessTree {
  readonly pid: number;
  readonly descendants: boolean;
}

export interface UsageOverStep {
  /** User + system CPU seconds of the tree during the step. */
  readonly cpuSeconds: number;
  readonly wallSeconds: number;
  /** The largest PSS sum seen while the step ran. */
  readonly peakMemoryMiB: number;
}

/** proc(5): utime and stime are counted in clock ticks, sysconf(_SC_CLK_TCK). */
const ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());

function isGone(error: unknown): boolean {
  // A process that exited between listing /proc and reading its files.
  return (
    error instanceof Error && 'code' in error && (error.code === 'ENOENT' || error.code === 'ESRCH')
  );
}

function readProc(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if (isGone(error)) return undefined;
    throw error;
  }
}

/**
 * The fields of /proc/<pid>/stat after the command name, which is in parentheses and may
 * hold spaces: index 0 is field 3 (state), 1 is ppid (field 4), 11 utime, 12 stime.
 */
function statFields(pid: number): string[] | undefined {
  const text = readProc(`/proc/${pid}/stat`);
  return text?.slice(text.lastIndexOf(')') + 2).split(' ');
}

function pidsOf(tree: ProcessTree): number[] {
  if (!tree.descendants) return [tree.pid];
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const parent = Number(statFields(Number(entry))?.[1]);
    const siblings = children.get(parent) ?? [];
    siblings.push(Number(entry));
    children.set(parent, siblings);
  }
  const pids: number[] = [];
  const queue = [tree.pid];
  for (let pid = queue.shift(); pid !== undefined; pid = queue.shift()) {
    pids.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return pids;
}

function cpuSecondsOf(pids: readonly number[]): number {
  let ticks = 0;
  for (const pid of pids) {
    const fields = statFields(pid);
    if (fields !== undefined) ticks += Number(fields[11]) + Number(fields[12]);
  }
  return ticks / ticksPerSecond;
}

function pssMiBOf(pids: readonly number[]): number {
  let kiB = 0;
  for (const pid of pids) {
    const pss = /^Pss:\s+(\d+) kB$/m.exec(readProc(`/proc/${pid}/smaps_rollup`) ?? '');
    if (pss?.[1] !== undefined) kiB += Number(pss[1]);
  }
  return kiB / 1024;
}

/** Starts measuring `tree`; `stop()` returns what it used since. */
export function measureUsage(tree: ProcessTree): { stop(): UsageOverStep } {
  // Kamailio forks its workers at start-up and keeps them: the tree is read once.
  const pids = pidsOf(tree);
  const cpuBefore = cpuSecondsOf(pids);
  const started = performance.now();
  let peak = pssMiBOf(pids);
  const sampler = setInterval(() => (peak = Math.max(peak, pssMiBOf(pids))), 1000);
  return {
    stop() {
      clearInterval(sampler);
      peak = Math.max(peak, pssMiBOf(pids));
      return {
        cpuSeconds: cpuSecondsOf(pids) - cpuBefore,
        wallSeconds: (performance.now() - started) / 1000,
        peakMemoryMiB: peak,
      };
    },
  };
}

/**
 * UDP datagrams the kernel dropped because a socket's receive buffer was full, on the
 * whole machine (`RcvbufErrors` of /proc/net/snmp): the sign of a receiver falling behind.
 */
export function udpReceiveBufferDrops(): number {
  const lines = readFileSync('/proc/net/snmp', 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('Udp:'));
  const names = lines[0]?.split(/\s+/) ?? [];
  const values = lines[1]?.split(/\s+/) ?? [];
  const value = Number(values[names.indexOf('RcvbufErrors')]);
  if (!Number.isFinite(value)) throw new Error('/proc/net/snmp has no Udp RcvbufErrors');
  return value;
}
