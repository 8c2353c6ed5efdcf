/**
 * One benchmark step: sipp sends calls of a scenario at a fixed rate for a fixed time,
 * while the system under test's CPU and memory are measured. The outcome comes from
 * sipp's `-trace_stat` file (its final line) and `-trace_err` file.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runSipp, type SippRun } from '../../apps/server/test/sipp/run-sipp.ts';
import {
  measureUsage,
  udpReceiveBufferDrops,
  type ProcessTree,
  type UsageOverStep,
} from './process-usage.ts';

export interface StepResult {
  rate: number;
  attemptedPerSecond: number;
  succeededPerSecond: number;
  attempted: number;
  succeeded: number;
  failed: number;
  /** CPU of the system under test over the step's wall time; 100 = one core. */
  cpuPercent: number;
  /** CPU milliseconds of the system under test per successful call. */
  cpuMsPerCall: number;
  memoryMiB: number;
  /** UDP datagrams dropped on full receive buffers during the step (whole machine). */
  udpDrops: number;
  /** sipp's failure counters that are not zero, e.g. `FailedTimeoutOnRecv 12`. */
  failureCauses: string;
  /** Error-log events for messages a scenario did not expect (a wrong answer is a bug). */
  unexpected: string[];
}

export interface SippStepOptions {
  /** Where the scenario, statistics and error files of this step go. */
  readonly dir: string;
  /** Names this step's files, e.g. `call-provod-r200`. */
  readonly tag: string;
  /** `host:port` the calls are sent to. */
  readonly remote: string;
  readonly scenarioFile: string;
  /** Arguments of this scenario: credentials, injection file, local port, behaviours. */
  readonly scenarioArgs: readonly string[];
  readonly rate: number;
  readonly seconds: number;
  /** sipp's `-l`: calls in flight at most; an overloaded system slows sipp down. */
  readonly concurrency: number;
  /** How long one call lasts when every answer is prompt (its pauses). */
  readonly callSeconds: number;
  readonly system: ProcessTree;
}

/** A call whose next answer is this late counts as failed rather than stretching the step. */
const receiveTimeoutSeconds = 5;

export async function measureSippStep(options: SippStepOptions): Promise<StepResult> {
  const statFile = join(options.dir, `stat-${options.tag}.csv`);
  const errorFile = join(options.dir, `errors-${options.tag}.log`);
  const limitSeconds = options.seconds + options.callSeconds + 20;
  const dropsBefore = udpReceiveBufferDrops();
  const sampling = measureUsage(options.system);
  let run: SippRun;
  let used: UsageOverStep;
  try {
    run = await runSipp(
      [
        options.remote,
        '-sf',
        options.scenarioFile,
        ...options.scenarioArgs,
        '-t',
        'u1',
        '-i',
        '127.0.0.1',
        '-r',
        String(options.rate),
        '-m',
        String(options.rate * options.seconds),
        '-l',
        String(options.concurrency),
        '-recv_timeout',
        `${receiveTimeoutSeconds}s`,
        '-timeout',
        `${limitSeconds}s`,
        '-nostdin',
        '-trace_stat',
        '-stf',
        statFile,
        '-trace_err',
        '-error_file',
        errorFile,
      ],
      (limitSeconds + 10) * 1000,
    );
  } finally {
    used = sampling.stop();
  }
  // 0: every call succeeded, 1: some failed; anything else is sipp itself failing.
  if (run.code !== 0 && run.code !== 1) {
    throw new Error(`sipp exited with ${String(run.code)}:\n${run.output.slice(-4000)}`);
  }
  const stats = finalStatistics(statFile);
  const attempted = counter(stats, 'OutgoingCall(C)');
  const succeeded = counter(stats, 'SuccessfulCall(C)');
  // sipp's clock runs until the last call has ended; the last call started one call's
  // pauses before that (plus its set-up, which grows only when the system falls behind).
  const seconds =
    secondsBetween(stats.get('StartTime') ?? '', stats.get('CurrentTime') ?? '') -
    options.callSeconds;
  return {
    rate: options.rate,
    attemptedPerSecond: attempted / seconds,
    succeededPerSecond: succeeded / seconds,
    attempted,
    succeeded,
    failed: counter(stats, 'FailedCall(C)'),
    cpuPercent: (used.cpuSeconds / used.wallSeconds) * 100,
    cpuMsPerCall: succeeded === 0 ? Number.NaN : (used.cpuSeconds * 1000) / succeeded,
    memoryMiB: used.peakMemoryMiB,
    udpDrops: udpReceiveBufferDrops() - dropsBefore,
    failureCauses: [...stats]
      .filter(([name, value]) => /^Failed.*\(C\)$/.test(name) && Number(value) > 0)
      .map(([name, value]) => `${name.replace('(C)', '')} ${value}`)
      .join(', '),
    unexpected: unexpectedMessages(errorFile),
  };
}

/** The first few "unexpected message" events of a sipp `-trace_err` file. */
export function unexpectedMessages(errorFile: string): string[] {
  const errors = existsSync(errorFile) ? readFileSync(errorFile, 'utf8').trim() : '';
  // sipp writes its events without line breaks between them; split on the timestamps.
  return errors
    .split(/(?=\d{4}-\d\d-\d\d\t)/)
    .filter((event) => event.includes('Aborting call on unexpected message'))
    .slice(0, 3);
}

/** The last line of sipp's `-trace_stat` file, by column name. */
function finalStatistics(file: string): Map<string, string> {
  const lines = readFileSync(file, 'utf8').trim().split('\n');
  const header = lines[0]?.split(';') ?? [];
  const last = lines.at(-1)?.split(';') ?? [];
  return new Map(header.map((name, i) => [name, last[i] ?? '']));
}

/** Seconds between two of sipp's timestamps (`date<TAB>time<TAB>epoch.micros`). */
function secondsBetween(start: string, end: string): number {
  const epoch = (stamp: string) => Number(stamp.split('\t').at(-1));
  const seconds = epoch(end) - epoch(start);
  if (!(seconds > 0)) throw new Error(`unreadable sipp times '${start}' / '${end}'`);
  return seconds;
}

function counter(stats: Map<string, string>, column: string): number {
  const value = Number(stats.get(column));
  if (!Number.isFinite(value)) throw new Error(`sipp statistics lack ${column}`);
  return value;
}
