/**
 * REGISTER throughput: the highest rate of digest-authenticated registrations one
 * in-process Provod answers over UDP with under 0.1 % failed, driven by sipp at rising
 * rates. Run with `npm run bench:sip`; figures go to docs/benchmarks.md. sipp runs on the
 * same machine and takes its share of the cores, so the figure is a floor, not a ceiling.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { loadConfig } from '../apps/server/src/config/config.ts';
import { demoTenant } from '../apps/server/src/runtime/demo.ts';
import { startServer } from '../apps/server/src/runtime/server.ts';
import type { TenantContext } from '../apps/server/src/services/service-context.ts';
import { freePort } from '../apps/server/test/free-port.ts';

const rates = (process.env.BENCH_SIP_RATES ?? '200,400,600,800,1000,1500,2000,3000')
  .split(',')
  .map(Number);
const stepSeconds = Number(process.env.BENCH_SIP_SECONDS ?? 10);
const extensionCount = 500;
const firstExtension = 2000;
const password = 'bench-register-secret';
/**
 * A step is sustained when fewer than 0.1 % of its calls failed and sipp kept up at least
 * 90 % of the target rate (with `-l` bounding calls in flight, an overloaded Provod slows
 * sipp down before it makes calls fail). Stepping stops above 1 % failed, or once sipp
 * managed less than 70 % of the target: higher targets would only take longer to say so.
 */
const sustainedFailureRatio = 0.001;
const sustainedRateRatio = 0.9;
const stopFailureRatio = 0.01;
const stopRateRatio = 0.7;

/**
 * REGISTER → 401 → REGISTER with digest → 200. User and password come from the injection
 * file, one line per call (`-inf`); `[call_id]` is new for every call. sipp's keyword parser
 * does not nest brackets, but it reads a quoted `username="[field0]"` as a message of its own.
 */
function registerScenario(domain: string): string {
  const request = (cseq: number, auth: boolean) => `
    <send retrans="500">
      <![CDATA[
        REGISTER sip:${domain} SIP/2.0
        Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch];rport
        From: <sip:[field0]@${domain}>;tag=[pid]SIPpTag00[call_number]
        To: <sip:[field0]@${domain}>
        Call-ID: [call_id]
        CSeq: ${cseq} REGISTER
        Contact: <sip:[field0]@[local_ip]:[local_port];transport=[transport]>${auth ? '\n        [authentication username="[field0]" password="[field1]"]' : ''}
        Max-Forwards: 70
        Expires: 300
        User-Agent: sipp-bench
        Content-Length: 0
      ]]>
    </send>`;
  return `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="register with digest, one user per call">
  ${request(1, false)}
  <recv response="401" auth="true"/>
  ${request(2, true)}
  <recv response="200"/>
</scenario>`;
}

interface StepResult {
  rate: number;
  attemptedPerSecond: number;
  succeededPerSecond: number;
  attempted: number;
  succeeded: number;
  failed: number;
  cpuPercent: number;
  rssMiB: number;
  /** sipp's failure counters that are not zero, e.g. `FailedTimeoutOnRecv 12`. */
  failureCauses: string;
  /** Error-log events for answers the scenario did not expect (a 4xx/5xx is a bug here). */
  unexpected: string[];
}

function runSipp(args: string[], limitMs: number): Promise<number | null> {
  return new Promise((resolve, reject) => {
    let output = '';
    const child = spawn('sipp', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    // sipp redraws its screen on stdout; keep only the tail for a fatal start-up error.
    const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000));
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const timer = setTimeout(() => child.kill('SIGKILL'), limitMs);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(timer);
      // 0: every call succeeded, 1: some failed; anything else is sipp itself failing.
      if (code === 0 || code === 1) resolve(code);
      else reject(new Error(`sipp exited with ${String(code)}:\n${output}`));
    });
  });
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

const dir = mkdtempSync(join(tmpdir(), 'provod-bench-sip-'));
const sipPort = await freePort();
const config = loadConfig(
  { data: join(dir, 'data'), httpPort: String(await freePort()), sipPort: String(sipPort) },
  {},
  dir,
);
const sippPort = await freePort();
const server = await startServer(
  {
    ...config,
    http: { ...config.http, host: '127.0.0.1' },
    sip: { ...config.sip, host: '127.0.0.1', port: sipPort },
  },
  { logger: pino({ level: 'silent' }), announce: () => undefined },
);

async function measure(rate: number): Promise<StepResult> {
  const tag = `r${rate}`;
  const statFile = join(dir, `stat-${tag}.csv`);
  const errorFile = join(dir, `errors-${tag}.log`);
  let rss = process.memoryUsage().rss;
  const sampler = setInterval(() => (rss = Math.max(rss, process.memoryUsage().rss)), 250);
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  try {
    await runSipp(
      [
        `127.0.0.1:${sipPort}`,
        '-sf',
        join(dir, 'register.xml'),
        '-inf',
        join(dir, 'users.csv'),
        '-t',
        'u1',
        '-i',
        '127.0.0.1',
        // One port for every step, so each step refreshes the same contacts as phones do.
        '-p',
        String(sippPort),
        '-r',
        String(rate),
        '-m',
        String(rate * stepSeconds),
        // One second's worth of calls in flight at most: beyond that Provod is behind.
        '-l',
        String(rate),
        // A call whose answer is 5 s late counts as failed rather than stretching the step.
        '-recv_timeout',
        '5s',
        '-timeout',
        `${stepSeconds + 20}s`,
        // An aborted REGISTER has no dialog: no BYE for Provod to refuse.
        '-default_behaviors',
        'all,-bye',
        '-nostdin',
        '-trace_stat',
        '-stf',
        statFile,
        '-trace_err',
        '-error_file',
        errorFile,
      ],
      (stepSeconds + 30) * 1000,
    );
  } finally {
    clearInterval(sampler);
  }
  const cpu = process.cpuUsage(cpuBefore);
  const wallMs = performance.now() - started;
  const stats = finalStatistics(statFile);
  const attempted = counter(stats, 'OutgoingCall(C)');
  const succeeded = counter(stats, 'SuccessfulCall(C)');
  const seconds = secondsBetween(stats.get('StartTime') ?? '', stats.get('CurrentTime') ?? '');
  const errors = existsSync(errorFile) ? readFileSync(errorFile, 'utf8').trim() : '';
  return {
    rate,
    attemptedPerSecond: attempted / seconds,
    succeededPerSecond: succeeded / seconds,
    attempted,
    succeeded,
    failed: counter(stats, 'FailedCall(C)'),
    cpuPercent: ((cpu.user + cpu.system) / 1000 / wallMs) * 100,
    rssMiB: rss / 2 ** 20,
    failureCauses: [...stats]
      .filter(([name, value]) => /^Failed.*\(C\)$/.test(name) && Number(value) > 0)
      .map(([name, value]) => `${name.replace('(C)', '')} ${value}`)
      .join(', '),
    // sipp writes its events without line breaks between them; split on the timestamps.
    unexpected: errors
      .split(/(?=\d{4}-\d\d-\d\d\t)/)
      .filter((event) => event.includes('Aborting call on unexpected message'))
      .slice(0, 3),
  };
}

try {
  const tenant = await server.instance.services.tenants.findBySlug(demoTenant.slug);
  if (!tenant) throw new Error('the demo tenant was not created');
  const ctx: TenantContext = {
    tenantId: tenant.id,
    role: 'owner',
    actor: { type: 'system', id: null },
  };
  const users: string[] = ['SEQUENTIAL'];
  for (let n = firstExtension; n < firstExtension + extensionCount; n++) {
    await server.instance.services.extensions.create(ctx, {
      number: String(n),
      sipPassword: password,
    });
    users.push(`${n};${password};`);
  }
  writeFileSync(join(dir, 'users.csv'), `${users.join('\n')}\n`);
  writeFileSync(join(dir, 'register.xml'), registerScenario(tenant.sipDomain));

  const results: StepResult[] = [];
  console.log(
    '| target / s | attempted / s | succeeded / s | calls | failed % | Provod CPU % | Provod RSS MiB |',
  );
  console.log('| --- | --- | --- | --- | --- | --- | --- |');
  for (const rate of rates) {
    const step = await measure(rate);
    results.push(step);
    const failedRatio = step.attempted === 0 ? 1 : step.failed / step.attempted;
    console.log(
      `| ${rate} | ${Math.round(step.attemptedPerSecond)} | ${Math.round(step.succeededPerSecond)} | ` +
        `${step.attempted} | ${(failedRatio * 100).toFixed(2)} | ${Math.round(step.cpuPercent)} | ` +
        `${Math.round(step.rssMiB)} |`,
    );
    if (step.failed > 0) console.error(`  failed at ${rate}/s: ${step.failureCauses}`);
    if (step.unexpected.length > 0) {
      console.error(`  unexpected answers at ${rate}/s:\n${step.unexpected.join('\n')}`);
    }
    if (failedRatio > stopFailureRatio || step.attemptedPerSecond < rate * stopRateRatio) break;
  }
  const sustained = results.filter(
    (r) =>
      r.attempted > 0 &&
      r.failed / r.attempted < sustainedFailureRatio &&
      r.attemptedPerSecond >= r.rate * sustainedRateRatio,
  );
  const best = sustained.at(-1);
  const fastest = Math.max(
    0,
    ...results
      .filter((r) => r.attempted > 0 && r.failed / r.attempted < sustainedFailureRatio)
      .map((r) => r.succeededPerSecond),
  );
  const registered = new Set(
    server.instance.services.registrations.list(ctx).map((r) => r.extension),
  );
  console.log(`\nExtensions registered at the end: ${registered.size} of ${extensionCount}.`);
  console.log(
    best
      ? `Highest sustained step: ${best.rate} REGISTER/s (< 0.1 % failed, sipp kept 90 % of the rate); ` +
          `most succeeded / s in any step under 0.1 % failed: ${Math.round(fastest)}.`
      : 'No step was sustained.',
  );
} finally {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
}
