import type { CallRecordInput } from '@provod/contracts';
import pino from 'pino';
import { createJobHandlers } from '../src/jobs/job-kinds.ts';
import { createJobWorker, type JobWorker } from '../src/jobs/job-worker.ts';
import type { TestApp } from './test-app.ts';

/** Calls delivered to a CRM sandbox through the real job queue, on the test's clock. */

/** An inbound call from `caller` that rang extension 101 and was missed, at 08:`minute` UTC. */
export function inboundMissed(caller: string, minute: number): CallRecordInput {
  const at = new Date(Date.UTC(2026, 2, 2, 8, minute)).toISOString();
  return {
    direction: 'inbound',
    status: 'missed',
    caller,
    callee: '74951234567',
    phoneNumber: '74951234567',
    extensionNumber: null,
    sipCallId: `call-${caller}-${minute}@carrier`,
    startedAt: at,
    answeredAt: null,
    endedAt: at,
    durationSeconds: 20,
    talkSeconds: 0,
    hangupCause: 'caller hung up',
    schemePath: [],
    legs: [
      {
        role: 'callee',
        party: '101',
        sipCallId: null,
        status: 'no_answer',
        startedAt: at,
        answeredAt: null,
        endedAt: at,
        mediaStats: null,
      },
    ],
  };
}

/** The job worker `provod start` runs, with the CRM delivery of the test app. */
export function startDeliveryWorker(t: TestApp): JobWorker {
  const worker = createJobWorker({
    database: t.services.deps.database,
    clock: t.services.deps.clock,
    handlers: createJobHandlers(t.services.deps, t.services.crm.delivery),
    workerId: 'test-worker',
    concurrency: 2,
    pollIntervalMs: 10,
    leaseMs: 60_000,
    logger: pino({ level: 'silent' }),
  });
  worker.start();
  return worker;
}

export function crmJobs(t: TestApp) {
  return t.services.deps.database.db
    .selectFrom('jobs')
    .select(['id', 'status', 'attempts', 'runAt', 'lastError'])
    .where('kind', '=', 'crm.deliver_call')
    .execute();
}

/** Until no delivery is running and none is due on the test clock. */
export async function settleDeliveries(t: TestApp, now: () => Date): Promise<void> {
  for (let round = 0; round < 500; round += 1) {
    const jobs = await crmJobs(t);
    const busy = jobs.some(
      (job) =>
        job.status === 'running' ||
        (job.status === 'queued' && Date.parse(job.runAt) <= now().getTime()),
    );
    if (!busy) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`deliveries did not settle: ${JSON.stringify(await crmJobs(t))}`);
}

/**
 * A CRM outage of `minutes` on the test clock, the queue retrying all along, then the CRM
 * back: returns when every delivery is done (or two hours of test time have passed).
 */
export async function rideOutOutage(
  t: TestApp,
  clock: { now: Date },
  minutes: number,
  endOutage: () => void,
): Promise<void> {
  const outageEnds = clock.now.getTime() + minutes * 60_000;
  while (clock.now.getTime() < outageEnds) {
    await settleDeliveries(t, () => clock.now);
    clock.now = new Date(clock.now.getTime() + 30_000);
  }
  await settleDeliveries(t, () => clock.now);
  if (!(await crmJobs(t)).every((job) => job.status === 'queued'))
    throw new Error('a delivery ended during the outage');
  endOutage();
  for (let minute = 0; minute < 120; minute += 1) {
    clock.now = new Date(clock.now.getTime() + 60_000);
    await settleDeliveries(t, () => clock.now);
    if ((await crmJobs(t)).every((job) => job.status === 'done')) return;
  }
}
