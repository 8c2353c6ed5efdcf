import { jobQueue, type ClaimedJob, type Clock, type DatabaseHandle } from '@provod/db';
import type { Logger } from 'pino';
import { z } from 'zod';

/*
 * Runs queued jobs. Delivery is AT LEAST ONCE: a job whose worker dies (kill -9, power
 * loss) after the handler's effect but before `complete` is recorded runs again once its
 * lease expires. Handlers must therefore be idempotent, keyed by the job id: write their
 * effect with the job id as a unique key, or send it as the idempotency key of the remote
 * API they call, so a second run finds the first one's work and does not repeat it.
 */

/** What a handler is given: the job's stored fields, its payload parsed from JSON. */
export interface RunningJob {
  /** The idempotency key of the job's effect: the same on every attempt. */
  id: string;
  tenantId: string | null;
  kind: string;
  payload: unknown;
  /** This attempt's number, from 1. */
  attempts: number;
  maxAttempts: number;
}

export interface JobContext {
  /** Aborted when the lease is lost (another worker owns the job now) or stop() gives up waiting. */
  signal: AbortSignal;
  logger: Logger;
}

export type JobHandler = (job: RunningJob, context: JobContext) => Promise<void>;

/** Thrown by a handler when retrying cannot help; the job goes straight to dead. */
export class PermanentJobError extends Error {
  override readonly name = 'PermanentJobError';
}

/**
 * Thrown by a handler when the remote side asked to wait (a CRM's rate limit, a
 * Retry-After): the job retries after at least `delayMs`, or its own backoff if longer.
 */
export class RetryLaterError extends Error {
  override readonly name = 'RetryLaterError';

  constructor(
    message: string,
    readonly delayMs: number,
  ) {
    super(message);
  }
}

/** A handler whose payload is validated first; an invalid payload is a permanent failure. */
export function jobHandler<P>(
  payloadSchema: z.ZodType<P>,
  run: (payload: P, job: RunningJob, context: JobContext) => Promise<void>,
): JobHandler {
  return async (job, context) => {
    const parsed = payloadSchema.safeParse(job.payload);
    if (!parsed.success) {
      throw new PermanentJobError(
        `job ${job.kind} has an invalid payload: ${z.prettifyError(parsed.error)}`,
      );
    }
    await run(parsed.data, job, context);
  };
}

export interface JobWorkerOptions<K extends string> {
  database: DatabaseHandle;
  clock: Clock;
  /** One handler per kind; typed by the kind registry, so a missing one does not compile. */
  handlers: Record<K, JobHandler>;
  /** Names this process in leases (`lockedBy`), e.g. host:pid. */
  workerId: string;
  concurrency: number;
  pollIntervalMs: number;
  /** How long a claim holds a job; renewed every third of it while the handler runs. */
  leaseMs: number;
  logger: Logger;
  /** How long stop() waits for running handlers; their jobs run again after their leases expire. */
  stopTimeoutMs?: number;
  random?: () => number;
}

export interface JobWorker {
  start(): void;
  /** Stops claiming, waits (bounded) for running jobs, then resolves. */
  stop(): Promise<void>;
}

interface InFlight {
  job: ClaimedJob;
  done: Promise<void>;
  abort: AbortController;
  renewal: NodeJS.Timeout;
}

export function createJobWorker<K extends string>(options: JobWorkerOptions<K>): JobWorker {
  const { handlers, workerId, concurrency, pollIntervalMs, leaseMs, logger } = options;
  const stopTimeoutMs = options.stopTimeoutMs ?? 10_000;
  const queue = jobQueue(options.database, options.clock, options.random);
  const inFlight = new Set<InFlight>();
  let loop: Promise<void> | undefined;
  let stopping: Promise<void> | undefined;
  let wakeNap: (() => void) | undefined;
  let wokenEarly = false;

  function wake(): void {
    if (wakeNap) wakeNap();
    else wokenEarly = true;
  }

  /** Sleeps for the poll interval, or less when a slot frees up or stop() is called. */
  function nap(): Promise<void> {
    if (wokenEarly) {
      wokenEarly = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(finish, pollIntervalMs);
      function finish() {
        clearTimeout(timer);
        wakeNap = undefined;
        resolve();
      }
      wakeNap = finish;
    });
  }

  async function pollLoop(): Promise<void> {
    while (stopping === undefined) {
      const free = concurrency - inFlight.size;
      let claimed: ClaimedJob[] = [];
      if (free > 0) {
        try {
          claimed = await queue.claim(workerId, free, leaseMs);
        } catch (error) {
          logger.error(
            { err: error },
            'claiming jobs failed; trying again after the poll interval',
          );
        }
      }
      for (const job of claimed) track(job);
      // Every free slot filled: more may be waiting, so claim again as soon as one frees.
      if (free > 0 && claimed.length === free) continue;
      await nap();
    }
  }

  function track(job: ClaimedJob): void {
    const abort = new AbortController();
    const renewal = setInterval(() => void renew(job, abort), Math.max(10, leaseMs / 3));
    const entry: InFlight = { job, abort, renewal, done: Promise.resolve() };
    entry.done = runJob(job, abort.signal).finally(() => {
      clearInterval(renewal);
      inFlight.delete(entry);
      wake();
    });
    inFlight.add(entry);
  }

  async function renew(job: ClaimedJob, abort: AbortController): Promise<void> {
    if (abort.signal.aborted) return;
    try {
      if (!(await queue.renewLease(job, leaseMs))) {
        logger.warn({ jobId: job.id, kind: job.kind }, 'job lease lost; another worker owns it');
        abort.abort(new Error(`the lease on job ${job.id} was lost`));
      }
    } catch (error) {
      // The lease may still hold; the next renewal tries again before it runs out.
      logger.warn({ err: error, jobId: job.id }, 'renewing a job lease failed');
    }
  }

  async function runJob(job: ClaimedJob, signal: AbortSignal): Promise<void> {
    const log = logger.child({ jobId: job.id, kind: job.kind, attempt: job.attempts });
    const outcome = await attempt(job, signal, log);
    try {
      if (outcome.ok) {
        if (!(await queue.complete(job))) log.warn('job finished after its lease was lost');
        return;
      }
      const status = await queue.fail(job, outcome.error, {
        permanent: outcome.permanent,
        ...(outcome.notBeforeMs === undefined ? {} : { notBeforeMs: outcome.notBeforeMs }),
      });
      if (status === 'dead') log.error({ error: outcome.error }, 'job is dead (dead-letter)');
      else if (status === 'queued') log.warn({ error: outcome.error }, 'job failed; will retry');
      else log.warn({ error: outcome.error }, 'job failed after its lease was lost');
    } catch (error) {
      log.error({ err: error }, 'recording the job outcome failed; it runs again after its lease');
    }
  }

  async function attempt(
    job: ClaimedJob,
    signal: AbortSignal,
    log: Logger,
  ): Promise<
    { ok: true } | { ok: false; error: string; permanent: boolean; notBeforeMs?: number }
  > {
    const handler = Object.hasOwn(handlers, job.kind) ? handlers[job.kind as K] : undefined;
    if (handler === undefined) {
      const known = Object.keys(handlers).join(', ') || 'none';
      const error = `no handler for job kind "${job.kind}" in this build (known kinds: ${known})`;
      return { ok: false, error, permanent: true };
    }
    let payload: unknown;
    try {
      payload = JSON.parse(job.payload);
    } catch (error) {
      return { ok: false, error: `the payload is not JSON: ${describe(error)}`, permanent: true };
    }
    try {
      const { id, tenantId, kind, attempts, maxAttempts } = job;
      await handler(
        { id, tenantId, kind, payload, attempts, maxAttempts },
        { signal, logger: log },
      );
      return { ok: true };
    } catch (error) {
      const permanent = error instanceof PermanentJobError;
      if (error instanceof RetryLaterError)
        return { ok: false, error: describe(error), permanent, notBeforeMs: error.delayMs };
      return { ok: false, error: describe(error), permanent };
    }
  }

  async function drain(): Promise<void> {
    await loop;
    const running = [...inFlight];
    if (running.length === 0) return;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(true), stopTimeoutMs);
    });
    const finished = Promise.all(running.map((job) => job.done)).then(() => false);
    const gaveUp = await Promise.race([finished, timedOut]);
    clearTimeout(timer);
    if (!gaveUp) return;
    logger.warn(
      { jobIds: [...inFlight].map((entry) => entry.job.id) },
      'stopped without waiting for these jobs; they run again after their leases expire',
    );
    for (const entry of inFlight) {
      clearInterval(entry.renewal);
      entry.abort.abort(new Error('the job worker is stopping'));
    }
  }

  return {
    start() {
      if (loop !== undefined || stopping !== undefined) return;
      loop = pollLoop();
    },
    stop() {
      if (stopping === undefined) {
        stopping = drain();
        wake();
      }
      return stopping;
    },
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
