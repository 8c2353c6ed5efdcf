/**
 * Call steps: sipp as the caller sends INVITE → 407 → ACK → INVITE with digest → 180 →
 * 200 → ACK → talk → BYE → 200 through the system under test (Provod as a B2BUA, or
 * Kamailio as a stateful proxy) to a second sipp that plays the callee's phone and
 * answers every call. The scenarios are the end-to-end tests' own (call-scenarios.ts).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { uacAnsweredCall, uasAnswers } from '../../apps/server/test/sipp/call-scenarios.ts';
import { startSipp } from '../../apps/server/test/sipp/run-sipp.ts';
import { freePort } from '../../apps/server/test/free-port.ts';
import type { ProcessTree } from './process-usage.ts';
import { measureSippStep, unexpectedMessages, type StepResult } from './sipp-step.ts';
import { runSeries } from './step-series.ts';

/** What the calls go through. */
export interface CallPath {
  /** Names the step files and the table: `Provod`, `Kamailio`. */
  readonly name: string;
  /** `host:port` the caller sends its INVITE to. */
  readonly remote: string;
  /** Where the callee's sipp listens. */
  readonly uasPort: number;
  readonly system: ProcessTree;
  /** Runs before each step, e.g. registers the callee's port with Provod. */
  beforeStep(): Promise<void>;
  /** A line on the system after each step (see runSeries). */
  afterStep?: () => string;
}

export interface CallParties {
  readonly domain: string;
  readonly caller: string;
  readonly callerPassword: string;
  readonly callee: string;
}

export interface CallSeriesOptions {
  readonly dir: string;
  readonly rates: readonly number[];
  readonly seconds: number;
  /** Between the caller's ACK and its BYE. */
  readonly talkMs: number;
}

export async function callSeries(
  path: CallPath,
  parties: CallParties,
  options: CallSeriesOptions,
): Promise<StepResult[]> {
  const uacFile = join(options.dir, `uac-${path.name}.xml`);
  const uasFile = join(options.dir, `uas-${path.name}.xml`);
  writeFileSync(
    uacFile,
    uacAnsweredCall(
      { caller: parties.caller, callee: parties.callee, domain: parties.domain },
      options.talkMs,
    ),
  );
  writeFileSync(uasFile, uasAnswers());
  const callerPort = await freePort();
  const talkSeconds = options.talkMs / 1000;

  async function measure(rate: number): Promise<StepResult> {
    await path.beforeStep();
    const tag = `call-${path.name}-r${rate}`;
    const calls = rate * options.seconds;
    const uasErrors = join(options.dir, `errors-${tag}-uas.log`);
    const uas = startSipp(
      [
        '-sf',
        uasFile,
        '-i',
        '127.0.0.1',
        '-p',
        String(path.uasPort),
        '-t',
        'u1',
        '-m',
        String(calls),
        '-nostdin',
        '-trace_err',
        '-error_file',
        uasErrors,
      ],
      (options.seconds + talkSeconds + 60) * 1000,
    );
    try {
      // sipp binds its port within milliseconds; an INVITE sent before is retransmitted anyway.
      await sleep(500);
      const step = await measureSippStep({
        dir: options.dir,
        tag,
        remote: path.remote,
        scenarioFile: uacFile,
        scenarioArgs: [
          '-au',
          parties.caller,
          '-ap',
          parties.callerPassword,
          '-p',
          String(callerPort),
        ],
        rate,
        seconds: options.seconds,
        // Calls talking plus one second's worth setting up or hanging up.
        concurrency: Math.ceil(rate * (talkSeconds + 1)),
        callSeconds: talkSeconds,
        system: path.system,
      });
      return { ...step, unexpected: [...step.unexpected, ...unexpectedMessages(uasErrors)] };
    } finally {
      // The callee's sipp ends by itself after its last call; a call the caller gave up
      // on would keep it waiting for a BYE that never comes.
      await Promise.race([uas.done, sleep(3000)]);
      if (uas.child.exitCode === null && uas.child.signalCode === null) uas.child.kill('SIGKILL');
      await uas.done;
    }
  }

  return runSeries(
    `Calls through ${path.name} (${options.seconds} s steps, ${options.talkMs} ms talk)`,
    options.rates,
    measure,
    path.afterStep,
  );
}
