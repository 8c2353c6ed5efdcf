import { randomBytes } from 'node:crypto';
import {
  jobStatusSchema,
  type Job,
  type JobQuery,
  type JobStatus,
  type Page,
} from '@provod/contracts';
import type { ExpressionBuilder, Kysely, Selectable } from 'kysely';
import { isoNow, type Clock } from '../clock.ts';
import type { DatabaseHandle } from '../connect.ts';
import { pageNewestFirst } from '../cursor.ts';
import { newId } from '../ids.ts';
import type { Database, JobTable } from '../schema.ts';
import type { Executor, TenantScope } from '../tenant-scope.ts';

/*
 * The durable job queue: a row in `jobs` per job, on SQLite and PostgreSQL alike.
 * Delivery is at least once. A claim takes a lease (lockedBy, lockedUntil); a worker that
 * dies leaves its lease to expire, and the job is claimed again. Every state change a
 * worker makes is fenced by its lease token, so a worker whose lease was taken over
 * cannot overwrite the new owner's result.
 */

export const defaultMaxAttempts = 5;
const backoffBaseMs = 1_000;
const backoffCapMs = 60 * 60 * 1_000;
const lastErrorMaxLength = 4_000;

export interface NewJob {
  kind: string;
  /** Stored as JSON; carry ids, not secrets or whole objects (the API shows payloads). */
  payload: unknown;
  /** null for operator-wide jobs, which no tenant sees. */
  tenantId: string | null;
  runAt?: Date;
  maxAttempts?: number;
}

/** A job a worker holds a lease on. */
export interface ClaimedJob {
  id: string;
  tenantId: string | null;
  kind: string;
  /** The payload as stored (JSON text); the worker parses it, so a bad one fails only its job. */
  payload: string;
  /** Including this run. */
  attempts: number;
  maxAttempts: number;
  /** The lease token: unique per claim, so it fences even a worker that claims its own job again. */
  lockedBy: string;
  lockedUntil: string;
}

export type JobLease = Pick<ClaimedJob, 'id' | 'lockedBy'>;

export interface FailOptions {
  /** Retrying cannot help (bad payload, unknown kind): dead now, whatever the attempts left. */
  permanent?: boolean;
  /** The remote side asked for this much quiet (Retry-After): wait at least this long. */
  notBeforeMs?: number;
}

/**
 * Enqueues a job on `executor`, which may be the caller's own transaction: the job is then
 * committed with the data it belongs to, or rolled back with it.
 */
export async function enqueueJob(executor: Executor, job: NewJob, clock: Clock): Promise<string> {
  const now = clock();
  const id = newId(now.getTime());
  await executor
    .insertInto('jobs')
    .values({
      id,
      tenantId: job.tenantId,
      kind: job.kind,
      payload: JSON.stringify(job.payload ?? null),
      status: 'queued',
      attempts: 0,
      maxAttempts: job.maxAttempts ?? defaultMaxAttempts,
      runAt: (job.runAt ?? now).toISOString(),
      lockedBy: null,
      lockedUntil: null,
      lastError: null,
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
      finishedAt: null,
    })
    .execute();
  return id;
}

/**
 * Delay before attempt `attempts + 1`: 1 s × 2^(attempts − 1), capped at an hour, with
 * "equal jitter" (half fixed, half random) so jobs that failed together do not retry in
 * lock-step (AWS Architecture Blog, "Exponential Backoff And Jitter", 2015).
 */
export function jobBackoffMs(attempts: number, random: () => number): number {
  const exponential = Math.min(backoffCapMs, backoffBaseMs * 2 ** Math.max(0, attempts - 1));
  return Math.round(exponential / 2 + (random() * exponential) / 2);
}

/** The worker's side of the queue: claim, renew, complete, fail. */
export function jobQueue(
  database: DatabaseHandle,
  clock: Clock,
  random: () => number = Math.random,
) {
  const { db } = database;

  return {
    /** Takes up to `limit` runnable jobs for `workerId`, each with a lease of `leaseMs`. */
    async claim(workerId: string, limit: number, leaseMs: number): Promise<ClaimedJob[]> {
      const now = clock();
      await buryLostFinalAttempts(db, now);
      const lease = {
        status: 'running',
        lockedBy: `${workerId}/${randomBytes(6).toString('hex')}`,
        lockedUntil: new Date(now.getTime() + leaseMs).toISOString(),
        updatedAt: now.toISOString(),
      };
      const claimable = (eb: ExpressionBuilder<Database, 'jobs'>) =>
        eb.or([
          eb.and([eb('status', '=', 'queued'), eb('runAt', '<=', now.toISOString())]),
          eb.and([
            eb('status', '=', 'running'),
            eb('lockedUntil', '<', now.toISOString()),
            eb('attempts', '<', eb.ref('maxAttempts')),
          ]),
        ]);
      if (database.dialect === 'postgres') {
        // SKIP LOCKED: concurrent claimers pass over rows another transaction holds
        // instead of waiting for it (PostgreSQL docs, SELECT, "The Locking Clause").
        const rows = await db.transaction().execute(async (trx) => {
          const ids = await trx
            .selectFrom('jobs')
            .select('id')
            .where(claimable)
            .orderBy('runAt')
            .orderBy('id')
            .limit(limit)
            .forUpdate()
            .skipLocked()
            .execute();
          if (ids.length === 0) return [];
          return trx
            .updateTable('jobs')
            .set((eb) => ({ ...lease, attempts: eb('attempts', '+', 1) }))
            .where(
              'id',
              'in',
              ids.map((row) => row.id),
            )
            .returningAll()
            .execute();
        });
        return rows.map(toClaimed);
      }
      // SQLite has one writer at a time: a single UPDATE … RETURNING is atomic on its own.
      const rows = await db
        .updateTable('jobs')
        .set((eb) => ({ ...lease, attempts: eb('attempts', '+', 1) }))
        .where('id', 'in', (eb) =>
          eb
            .selectFrom('jobs')
            .select('id')
            .where(claimable)
            .orderBy('runAt')
            .orderBy('id')
            .limit(limit),
        )
        .returningAll()
        .execute();
      return rows.map(toClaimed);
    },

    /** Extends a lease for a long job; false means the lease is lost (stop working on it). */
    async renewLease(lease: JobLease, leaseMs: number): Promise<boolean> {
      const now = clock();
      const result = await db
        .updateTable('jobs')
        .set({
          lockedUntil: new Date(now.getTime() + leaseMs).toISOString(),
          updatedAt: now.toISOString(),
        })
        .where((eb) => heldBy(eb, lease))
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },

    /** Marks the job done; false means the lease was lost and the result is not recorded. */
    async complete(lease: JobLease): Promise<boolean> {
      const now = isoNow(clock);
      const result = await db
        .updateTable('jobs')
        .set({
          status: 'done',
          lockedBy: null,
          lockedUntil: null,
          updatedAt: now,
          finishedAt: now,
        })
        .where((eb) => heldBy(eb, lease))
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },

    /**
     * Records a failed attempt: queued again after a backoff while attempts remain, else
     * dead. Returns the new status, or null when the lease was lost (nothing changed).
     */
    async fail(
      lease: JobLease,
      error: string,
      options: FailOptions = {},
    ): Promise<'queued' | 'dead' | null> {
      const now = clock();
      const row = await db
        .selectFrom('jobs')
        .select(['attempts', 'maxAttempts'])
        .where((eb) => heldBy(eb, lease))
        .executeTakeFirst();
      if (!row) return null;
      const dead = options.permanent === true || row.attempts >= row.maxAttempts;
      const delayMs = Math.max(jobBackoffMs(row.attempts, random), options.notBeforeMs ?? 0);
      const runAt = new Date(now.getTime() + delayMs);
      // The same fence again: attempts cannot change under us while the lease holds, and
      // if it was taken over between the two statements this updates nothing.
      const result = await db
        .updateTable('jobs')
        .set({
          status: dead ? 'dead' : 'queued',
          lockedBy: null,
          lockedUntil: null,
          lastError: error.slice(0, lastErrorMaxLength),
          updatedAt: now.toISOString(),
          ...(dead ? { finishedAt: now.toISOString() } : { runAt: runAt.toISOString() }),
        })
        .where((eb) => heldBy(eb, lease))
        .executeTakeFirst();
      if (result.numUpdatedRows === 0n) return null;
      return dead ? 'dead' : 'queued';
    },

    /** Operator-wide retry of a dead job (any tenant's or none); false if it is not dead. */
    async retryDead(id: string): Promise<boolean> {
      const result = await db
        .updateTable('jobs')
        .set(requeue(isoNow(clock)))
        .where('id', '=', id)
        .where('status', '=', 'dead')
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },
  };
}

export type JobQueue = ReturnType<typeof jobQueue>;

/** A tenant's view of its own jobs, for the API. Operator jobs (null tenant) never show. */
export function jobRepository(scope: TenantScope, clock: Clock) {
  const repository = {
    list(query: JobQuery): Promise<Page<Job>> {
      return pageNewestFirst(
        query,
        (olderThanId, take) => {
          let select = scope.selectFrom('jobs').selectAll().orderBy('id', 'desc').limit(take);
          if (query.status !== undefined) select = select.where('status', '=', query.status);
          if (query.kind !== undefined) select = select.where('kind', '=', query.kind);
          if (olderThanId !== undefined) select = select.where('id', '<', olderThanId);
          return select.execute();
        },
        toJob,
      );
    },

    async get(id: string): Promise<Job | undefined> {
      const row = await scope
        .selectFrom('jobs')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirst();
      return row && toJob(row);
    },

    /** Dead → queued with its attempts reset; undefined when it is missing or not dead. */
    async retryDead(id: string): Promise<Job | undefined> {
      const result = await scope
        .updateTable('jobs', requeue(isoNow(clock)))
        .where('id', '=', id)
        .where('status', '=', 'dead')
        .executeTakeFirst();
      return result.numUpdatedRows > 0n ? repository.get(id) : undefined;
    },
  };
  return repository;
}

export type JobRepository = ReturnType<typeof jobRepository>;

function heldBy(eb: ExpressionBuilder<Database, 'jobs'>, lease: JobLease) {
  return eb.and([
    eb('id', '=', lease.id),
    eb('lockedBy', '=', lease.lockedBy),
    eb('status', '=', 'running'),
  ]);
}

/** lastError stays: it says why the job died, which is still worth knowing on retry. */
function requeue(now: string) {
  return {
    status: 'queued',
    attempts: 0,
    runAt: now,
    lockedBy: null,
    lockedUntil: null,
    updatedAt: now,
    finishedAt: null,
  };
}

/**
 * A worker that dies during a job's last attempt leaves a running row with an expired
 * lease and no attempts left. Claiming it again would let a job that kills its worker
 * (out of memory, say) do so forever; it goes to the dead-letter state instead.
 */
async function buryLostFinalAttempts(db: Kysely<Database>, now: Date): Promise<void> {
  await db
    .updateTable('jobs')
    .set({
      status: 'dead',
      lockedBy: null,
      lockedUntil: null,
      lastError: 'the worker was lost during the last attempt (its lease expired)',
      updatedAt: now.toISOString(),
      finishedAt: now.toISOString(),
    })
    .where('status', '=', 'running')
    .where('lockedUntil', '<', now.toISOString())
    .where((eb) => eb('attempts', '>=', eb.ref('maxAttempts')))
    .execute();
}

function toClaimed(row: Selectable<JobTable>): ClaimedJob {
  if (row.lockedBy === null || row.lockedUntil === null) {
    throw new Error(`claimed job ${row.id} has no lease`);
  }
  return {
    id: row.id,
    tenantId: row.tenantId,
    kind: row.kind,
    payload: row.payload,
    attempts: row.attempts,
    maxAttempts: row.maxAttempts,
    lockedBy: row.lockedBy,
    lockedUntil: row.lockedUntil,
  };
}

function toJob(row: Selectable<JobTable>): Job {
  return {
    id: row.id,
    kind: row.kind,
    status: jobStatusSchema.parse(row.status),
    payload: JSON.parse(row.payload) as unknown,
    attempts: row.attempts,
    maxAttempts: row.maxAttempts,
    runAt: row.runAt,
    lastError: row.lastError,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    finishedAt: row.finishedAt,
  };
}

/** Jobs per status across all tenants, for the operator's metrics (queue depth, dead letters). */
export async function countJobsByStatus(executor: Executor): Promise<Record<JobStatus, number>> {
  const rows = await executor
    .selectFrom('jobs')
    .select((eb) => ['status', eb.fn.countAll<number>().as('n')])
    .groupBy('status')
    .execute();
  const counts: Record<JobStatus, number> = { queued: 0, running: 0, done: 0, dead: 0 };
  for (const row of rows) {
    const status = jobStatusSchema.safeParse(row.status);
    if (status.success) counts[status.data] = Number(row.n);
  }
  return counts;
}
