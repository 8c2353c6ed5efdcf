import { enqueueJob, type Clock, type Executor } from '@provod/db';
import { z } from 'zod';
import { deliverCallToCrm, type CrmDelivery } from '../crm/deliver-call.ts';
import type { ServiceDeps } from '../services/service-context.ts';
import { housekeepingJob, pruneHousekeeping } from './housekeeping.ts';
import { purgeExpiredRecordings, purgeExpiredRecordingsJob } from './purge-expired-recordings.ts';
import { scheduleNextRun, type RecurringJob } from './recurring-jobs.ts';
import {
  jobHandler,
  PermanentJobError,
  type JobContext,
  type JobHandler,
  type RunningJob,
} from './job-worker.ts';

/** A finished call sent to one CRM connection. */
const deliverCallJobKind = 'crm.deliver_call';

/**
 * Every job kind the application enqueues, with the schema of its payload. To add one:
 * name it here, then give it a handler in `createJobHandlers` — until you do, that object
 * literal lacks a property of `JobKindHandlers` and the build fails (exhaustive by
 * construction, like the routing-scheme engine's `Record<NodeKind, NodeHandler>`).
 * Handlers run at least once per job: make them idempotent, keyed by `job.id`.
 */
const payloadSchemas = {
  [deliverCallJobKind]: z.strictObject({ connectionId: z.uuid(), callId: z.uuid() }),
  [purgeExpiredRecordingsJob.kind]: z.strictObject({}),
  [housekeepingJob.kind]: z.strictObject({}),
} satisfies Record<string, z.ZodType>;

/** Operator jobs that reschedule themselves; `provod start` queues their first runs. */
export const recurringJobs: readonly RecurringJob[] = [purgeExpiredRecordingsJob, housekeepingJob];

export type JobKind = keyof typeof payloadSchemas;
export type JobPayload<K extends JobKind> = z.infer<(typeof payloadSchemas)[K]>;

/** The same table, typed per kind, so generic code keeps each kind's payload type. */
export const jobPayloadSchemas: { [K in JobKind]: z.ZodType<JobPayload<K>> } = payloadSchemas;

export type JobKindHandlers = {
  [K in JobKind]: (payload: JobPayload<K>, job: RunningJob, context: JobContext) => Promise<void>;
};

/** The worker's table: one handler per kind, its payload validated before it runs. */
export function createJobHandlers(
  deps: ServiceDeps,
  crm: CrmDelivery,
): Record<JobKind, JobHandler> {
  const handlers: JobKindHandlers = {
    [deliverCallJobKind]: async (payload, job, context) => {
      if (job.tenantId === null) throw new PermanentJobError('a CRM delivery needs a tenant');
      await deliverCallToCrm(
        deps,
        crm,
        { tenantId: job.tenantId, ...payload, attempt: job.attempts },
        context.logger,
      );
    },
    [purgeExpiredRecordingsJob.kind]: async (_payload, job, context) => {
      const purged = await purgeExpiredRecordings(deps, context.signal);
      context.logger.info({ purged }, 'expired recordings purged');
      await scheduleNextRun(deps, purgeExpiredRecordingsJob, job.id);
    },
    [housekeepingJob.kind]: async (_payload, job, context) => {
      const pruned = await pruneHousekeeping(deps);
      context.logger.info(pruned, 'housekeeping done');
      await scheduleNextRun(deps, housekeepingJob, job.id);
    },
  };
  return validatedHandlers(handlers);
}

export interface EnqueueOptions<K extends JobKind> {
  kind: K;
  payload: JobPayload<K>;
  /** null for operator-wide jobs, which no tenant sees in the API. */
  tenantId: string | null;
  runAt?: Date;
  maxAttempts?: number;
}

/**
 * Enqueues a known kind with a payload checked against its schema, on `executor` — pass
 * the transaction that writes the data the job belongs to, so both commit or neither does.
 */
export function enqueueTypedJob<K extends JobKind>(
  executor: Executor,
  clock: Clock,
  job: EnqueueOptions<K>,
): Promise<string> {
  const payload = jobPayloadSchemas[job.kind].parse(job.payload);
  return enqueueJob(executor, { ...job, payload }, clock);
}

function validatedHandlers(handlers: JobKindHandlers): Record<JobKind, JobHandler> {
  const bind = <K extends JobKind>(kind: K): [K, JobHandler] => [
    kind,
    jobHandler(jobPayloadSchemas[kind], handlers[kind]),
  ];
  const kinds = Object.keys(jobPayloadSchemas).filter(isJobKind);
  // Object.fromEntries loses the key type; `kinds` holds every key of the table.
  return Object.fromEntries(kinds.map(bind)) as Record<JobKind, JobHandler>;
}

function isJobKind(kind: string): kind is JobKind {
  return Object.hasOwn(jobPayloadSchemas, kind);
}
