/**
 * `npm run bench:sip`: SIP throughput of one in-process Provod over UDP on loopback,
 * driven by sipp at rising rates — REGISTER/s, then calls/s (uac → Provod → uas) — and,
 * where `kamailio` is installed, the same call scenarios through Kamailio as a stateful
 * proxy for reference. sipp runs on the same machine and takes its share of the cores, so
 * the figures are a floor, not a ceiling. Figures go to docs/benchmarks.md.
 *
 * Environment: BENCH_SIP_RATES (REGISTER targets), BENCH_SIP_CALL_RATES (call targets),
 * BENCH_SIP_SECONDS (per step), BENCH_SIP_TALK_MS (between ACK and BYE),
 * BENCH_SIP_SERIES (any of `register,provod,kamailio`; all by default).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { registerScenario } from '../../apps/server/test/sipp/register-scenario.ts';
import { runSipp } from '../../apps/server/test/sipp/run-sipp.ts';
import { freePort } from '../../apps/server/test/free-port.ts';
import { startBenchedProvod, type BenchedProvod } from './benched-provod.ts';
import { callSeries, type CallParties, type CallSeriesOptions } from './call-step.ts';
import { kamailioOnPath, startKamailio } from './kamailio.ts';
import { registerSeries } from './register-step.ts';
import type { StepResult } from './sipp-step.ts';
import { highestSustained, isSustained } from './step-series.ts';

const numbers = (name: string, fallback: string) =>
  (process.env[name] ?? fallback).split(',').map(Number);
const registerRates = numbers('BENCH_SIP_RATES', '200,400,600,800,1000,1500,2000,3000');
const callRates = numbers('BENCH_SIP_CALL_RATES', '50,100,200,300,400,600,800,1000,1500');
const stepSeconds = Number(process.env.BENCH_SIP_SECONDS ?? 10);
const talkMs = Number(process.env.BENCH_SIP_TALK_MS ?? 1000);
const series = new Set((process.env.BENCH_SIP_SERIES ?? 'register,provod,kamailio').split(','));

const caller = { number: '3001', password: 'bench-caller-secret' };
const callee = { number: '3002', password: 'bench-callee-secret' };
/** Kamailio's UDP workers: two per core of this 2-core machine, well below its default 8. */
const kamailioChildren = 4;

const dir = mkdtempSync(join(tmpdir(), 'provod-bench-sip-'));
const provod = await startBenchedProvod(dir);
try {
  const register = series.has('register')
    ? await registerSeries(provod, dir, registerRates, stepSeconds)
    : [];

  await provod.createExtension(caller.number, caller.password);
  await provod.createExtension(callee.number, callee.password);
  const parties: CallParties = {
    domain: provod.domain,
    caller: caller.number,
    callerPassword: caller.password,
    callee: callee.number,
  };
  const options: CallSeriesOptions = { dir, rates: callRates, seconds: stepSeconds, talkMs };
  const uasPort = await freePort();

  const provodCalls = series.has('provod')
    ? await callSeries(
        {
          name: 'Provod',
          remote: `127.0.0.1:${provod.sipPort}`,
          uasPort,
          system: provod.process,
          // Fresh before every step: the callee's contact must not expire mid-series.
          beforeStep: () => registerCallee(provod, uasPort),
          afterStep: () => provod.eventLoopNote(),
        },
        parties,
        options,
      )
    : [];
  if (series.has('provod')) console.log(`Calls still active in Provod: ${provod.activeCalls()}.`);

  // A callee port of its own: Provod may still send to the first one (calls it keeps).
  const kamailioCalls = series.has('kamailio')
    ? await kamailioCallSeries(await freePort(), parties, options)
    : [];

  printSummary(register, provodCalls, kamailioCalls);
  const logged = provod.logSummary();
  console.log(
    logged.length === 0
      ? '\nProvod logged no warnings or errors.'
      : `\nProvod's warnings and errors:\n${logged.slice(0, 10).join('\n')}`,
  );
} finally {
  await provod.stop();
  rmSync(dir, { recursive: true, force: true });
}

/** The same call scenarios through Kamailio, where it is installed. */
async function kamailioCallSeries(
  uasPort: number,
  parties: CallParties,
  options: CallSeriesOptions,
): Promise<StepResult[]> {
  if (!kamailioOnPath()) {
    console.log('\nkamailio is not on PATH: no reference (Debian: apt-get install kamailio).');
    return [];
  }
  const kamailio = await startKamailio({
    dir,
    port: await freePort(),
    uasPort,
    password: caller.password,
    children: kamailioChildren,
  });
  try {
    return await callSeries(
      {
        name: 'Kamailio',
        remote: `127.0.0.1:${kamailio.port}`,
        uasPort,
        system: { pid: kamailio.pid, descendants: true },
        beforeStep: async () => undefined,
      },
      parties,
      options,
    );
  } finally {
    await kamailio.stop();
  }
}

/** REGISTERs the callee's sipp port as the callee's contact, as its phone would. */
async function registerCallee(target: BenchedProvod, port: number): Promise<void> {
  const file = join(dir, 'register-callee.xml');
  writeFileSync(file, registerScenario(callee.number, target.domain, 200));
  const run = await runSipp([
    `127.0.0.1:${target.sipPort}`,
    '-sf',
    file,
    '-au',
    callee.number,
    '-ap',
    callee.password,
    '-i',
    '127.0.0.1',
    '-p',
    String(port),
    '-m',
    '1',
    '-timeout',
    '10s',
    '-nostdin',
  ]);
  if (run.code !== 0) throw new Error(`the callee did not register:\n${run.output.slice(-4000)}`);
}

function printSummary(
  register: readonly StepResult[],
  provodCalls: readonly StepResult[],
  kamailioCalls: readonly StepResult[],
): void {
  const rate = (steps: readonly StepResult[]) => highestSustained(steps)?.rate ?? 0;
  console.log('\nSummary (highest sustained target rates):');
  if (register.length > 0) console.log(`  Provod REGISTER/s: ${rate(register)}`);
  if (provodCalls.length > 0) console.log(`  Provod calls/s: ${rate(provodCalls)}`);
  if (kamailioCalls.length > 0) console.log(`  Kamailio calls/s: ${rate(kamailioCalls)}`);
  const kamailioBest = highestSustained(kamailioCalls);
  if (kamailioBest === undefined || provodCalls.length === 0) return;
  // A series ends on a step that was not sustained, unless every target was.
  const lastStep = kamailioCalls.at(-1);
  const saturated = lastStep !== undefined && !isSustained(lastStep);
  console.log(
    `  Provod / Kamailio calls/s: ${(rate(provodCalls) / kamailioBest.rate).toFixed(2)}` +
      (saturated ? '' : ' (Kamailio sustained every target: an upper bound)'),
  );
  // CPU per call compared where both kept up, at the highest such target.
  const common = provodCalls
    .filter(isSustained)
    .map((step) => ({ provod: step, kamailio: kamailioCalls.find((k) => k.rate === step.rate) }))
    .filter((pair) => pair.kamailio !== undefined && isSustained(pair.kamailio))
    .at(-1);
  if (common?.kamailio !== undefined) {
    console.log(
      `  CPU ms per call at ${common.provod.rate}/s: Provod ${common.provod.cpuMsPerCall.toFixed(2)}, ` +
        `Kamailio ${common.kamailio.cpuMsPerCall.toFixed(2)} ` +
        `(ratio ${(common.provod.cpuMsPerCall / common.kamailio.cpuMsPerCall).toFixed(1)})`,
    );
  }
}
