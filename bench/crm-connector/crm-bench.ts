import {
  createAmoCrmSandbox,
  createBitrix24Sandbox,
  defaultSandboxApp,
  SandboxClock,
} from '@provod/crm-sandbox';
import {
  amoPacerDefaults,
  AmoConnection,
  AmoCrmClient,
  Bitrix24Client,
  Bitrix24Connection,
  bitrixPacerDefaults,
  defaultAmoCrmRules,
  defaultBitrix24Rules,
  fetchTransport,
  LeakyBucketPacer,
  MemoryProcessedSteps,
  MemoryTokenStore,
  RequestPacer,
  runAmoCrmCall,
  runBitrix24Call,
  type AmoCredentials,
  type BitrixCredentials,
  type CallLinks,
  type CallRecord,
  type CrmFailure,
  type HttpTransport,
} from '@provod/crm';
import { ScaledClock } from './scaled-clock.ts';

export interface CrmBenchResult {
  readonly crm: 'amocrm' | 'bitrix24';
  readonly speed: number;
  readonly steadyCalls: number;
  readonly steadyRate: number;
  /** Simulated ms from each steady call's end to its last CRM write. */
  readonly steadyLatencyMs: readonly number[];
  readonly burstCalls: number;
  readonly burstRequests: number;
  readonly burstMs: number;
  /** 429 / QUERY_LIMIT_EXCEEDED answers: the pacer's failures. */
  readonly refusedForRate: number;
  readonly failedCalls: number;
  readonly rssBefore: number;
  readonly peakRss: number;
  readonly rssAfter: number;
  readonly peakHeap: number;
}

type RunOutcome = { outcome: 'completed' } | { outcome: 'failed'; error: CrmFailure };

interface Target {
  readonly run: (call: CallRecord) => Promise<RunOutcome>;
  readonly close: () => Promise<unknown>;
}

const links: CallLinks = {
  recording: () => null,
  callPage: (call) => `https://pbx.example/calls/${call.id}`,
};

/** Clients the CRM knows before the run: a quarter of the calls come from them. */
export const knownClients = 500;
const knownNumber = (index: number) =>
  `+7903${String(1_000_000 + (index % knownClients)).slice(-7)}`;
const newNumber = (index: number) => `+7926${String(1_000_000 + index).slice(-7)}`;

/**
 * The mix, by index mod 4: a missed call from a new number (a record, the call, a task), an
 * answered one from a new number, an answered one from a known client, an answered call out
 * to a new number.
 */
function benchCall(index: number, endedAtMs: number): CallRecord {
  const kind = index % 4;
  const missed = kind === 0;
  const outbound = kind === 3;
  const client = kind === 2 ? knownNumber(index) : newNumber(index);
  const ended = new Date(endedAtMs).toISOString();
  const started = new Date(endedAtMs - 60_000).toISOString();
  return {
    id: `bench-${index}`,
    source: 'provod_pbx',
    direction: outbound ? 'outbound' : 'inbound',
    callerNumber: outbound ? '101' : client,
    calledNumber: outbound ? client : '74951234567',
    trunk: null,
    extensionsRung: outbound ? [] : ['101'],
    answeredBy: missed || outbound ? null : '101',
    startedAt: started,
    answeredAt: missed ? null : started,
    endedAt: ended,
    durationSeconds: 60,
    talkSeconds: missed ? 0 : 55,
    result: missed ? 'missed' : 'answered',
    hangupCause: null,
    transfers: [],
    recordingFile: null,
  };
}

interface Counters {
  requests: number;
  refusedForRate: number;
}

function countingTransport(counters: Counters): HttpTransport {
  return {
    async send(request) {
      counters.requests += 1;
      const response = await fetchTransport.send(request);
      if (response.status === 429 || response.text.includes('QUERY_LIMIT_EXCEEDED'))
        counters.refusedForRate += 1;
      return response;
    },
  };
}

async function amoTarget(clock: ScaledClock, counters: Counters): Promise<Target> {
  const sandbox = createAmoCrmSandbox({
    clock: new SandboxClock({ systemNowMs: () => clock.nowMs() }),
  });
  sandbox.seed({
    contacts: Array.from({ length: knownClients }, (_, index) => ({
      name: `Known ${index}`,
      phones: [knownNumber(index)],
    })),
  });
  const url = await sandbox.listen(0, '127.0.0.1');
  const integration = {
    clientId: 'b3c1d2e4-0000-4000-8000-000000000001',
    clientSecret: 'bench-secret',
    redirectUri: 'https://provod.example/crm/amocrm/installed',
  };
  const connection = new AmoConnection({
    baseUrl: url,
    integration,
    tokens: new MemoryTokenStore<AmoCredentials>(),
    pacer: new RequestPacer(clock, amoPacerDefaults),
    clock,
    transport: countingTransport(counters),
    timeoutMs: 60_000,
  });
  await connection.install(sandbox.install(integration));
  const client = new AmoCrmClient(connection);
  const rules = { ...defaultAmoCrmRules, fallbackUserId: sandbox.state.defaultUserId() };
  const processed = new MemoryProcessedSteps();
  return {
    run: (call) =>
      runAmoCrmCall({
        call,
        rules,
        connectionId: 'bench',
        client,
        processed,
        users: new Map(),
        links,
      }),
    close: () => sandbox.close(),
  };
}

async function bitrixTarget(clock: ScaledClock, counters: Counters): Promise<Target> {
  const sandbox = createBitrix24Sandbox({
    clock: new SandboxClock({ systemNowMs: () => clock.nowMs() }),
    users: [{ ID: 1, NAME: 'Admin', IS_ADMIN: true }],
  });
  for (let index = 0; index < knownClients; index += 1)
    sandbox.seedContact({ NAME: `Known ${index}`, PHONE: [{ VALUE: knownNumber(index) }] });
  const url = await sandbox.app.listen({ port: 0, host: '127.0.0.1' });
  const connection = new Bitrix24Connection({
    baseUrl: url,
    app: {
      clientId: defaultSandboxApp.clientId,
      clientSecret: defaultSandboxApp.clientSecret,
      oauthUrl: url,
    },
    tokens: new MemoryTokenStore<BitrixCredentials>(),
    pacer: new LeakyBucketPacer(clock, bitrixPacerDefaults),
    clock,
    transport: countingTransport(counters),
    timeoutMs: 60_000,
  });
  await connection.install(sandbox.authorize(defaultSandboxApp.clientId, 1));
  const client = new Bitrix24Client(connection);
  const rules = { ...defaultBitrix24Rules, fallbackUserId: 1 };
  const processed = new MemoryProcessedSteps();
  return {
    run: (call) =>
      runBitrix24Call({
        call,
        rules,
        connectionId: 'bench',
        client,
        processed,
        users: new Map(),
        links,
      }),
    close: () => sandbox.app.close(),
  };
}

/** As the job queue would: again after a retryable failure, after the delay asked for. */
async function deliver(target: Target, clock: ScaledClock, call: CallRecord): Promise<boolean> {
  for (let attempt = 0; attempt < 10; attempt += 1) {
    const outcome = await target.run(call);
    if (outcome.outcome === 'completed') return true;
    if (!outcome.error.retryable) return false;
    await clock.sleep(outcome.error.retryAfterMs);
  }
  return false;
}

const defaults = {
  amocrm: { speed: 10, steadyRate: 1, concurrency: 16 },
  bitrix24: { speed: 50, steadyRate: 0.2, concurrency: 16 },
} as const;

export async function crmBench(
  crm: 'amocrm' | 'bitrix24',
  sizes: { steadyCalls: number; burstCalls: number },
): Promise<CrmBenchResult> {
  const settings = defaults[crm];
  const speed = Number(process.env[`BENCH_CRM_SPEED_${crm.toUpperCase()}`] ?? settings.speed);
  const clock = new ScaledClock(speed);
  const counters: Counters = { requests: 0, refusedForRate: 0 };
  const target = await (crm === 'amocrm' ? amoTarget : bitrixTarget)(clock, counters);
  const rssBefore = process.memoryUsage().rss;
  let peakRss = 0;
  let peakHeap = 0;
  const sample = () => {
    const usage = process.memoryUsage();
    peakRss = Math.max(peakRss, usage.rss);
    peakHeap = Math.max(peakHeap, usage.heapUsed);
  };
  const sampler = setInterval(sample, 1000);
  let failedCalls = 0;
  try {
    // Steady: one call ends every 1/rate simulated seconds, each sent as it ends.
    const latency: number[] = [];
    const start = clock.nowMs();
    const steady: Promise<void>[] = [];
    for (let i = 0; i < sizes.steadyCalls; i += 1) {
      const endedAt = start + (i / settings.steadyRate) * 1000;
      await clock.sleepUntil(endedAt);
      steady.push(
        deliver(target, clock, benchCall(i, endedAt)).then((ok) => {
          if (!ok) failedCalls += 1;
          latency.push(clock.nowMs() - endedAt);
        }),
      );
    }
    await Promise.all(steady);

    // Burst: every call ended at once; `concurrency` of them in flight, as the job worker runs them.
    const burstStart = clock.nowMs();
    const requestsBefore = counters.requests;
    let next = sizes.steadyCalls;
    const last = sizes.steadyCalls + sizes.burstCalls;
    const lane = async () => {
      while (next < last) {
        const index = next;
        next += 1;
        if (!(await deliver(target, clock, benchCall(index, burstStart)))) failedCalls += 1;
      }
    };
    await Promise.all(Array.from({ length: settings.concurrency }, lane));
    sample();
    return {
      crm,
      speed,
      steadyCalls: sizes.steadyCalls,
      steadyRate: settings.steadyRate,
      steadyLatencyMs: latency,
      burstCalls: sizes.burstCalls,
      burstRequests: counters.requests - requestsBefore,
      burstMs: clock.nowMs() - burstStart,
      refusedForRate: counters.refusedForRate,
      failedCalls,
      rssBefore,
      peakRss,
      rssAfter: process.memoryUsage().rss,
      peakHeap,
    };
  } finally {
    clearInterval(sampler);
    await target.close();
  }
}
