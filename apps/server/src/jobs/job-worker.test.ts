import { enqueueJob, jobQueue, systemClock, type NewJob } from '@provod/db';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { testDialects, type TestDatabase } from '../../../../packages/db/test/test-databases.ts';
import {
  createJobWorker,
  jobHandler,
  PermanentJobError,
  type JobHandler,
  type JobWorker,
  type JobWorkerOptions,
} from './job-worker.ts';

const silent = pino({ level: 'silent' });

async function waitFor(what: string, predicate: () => Promise<boolean>, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(testDialects)('job worker on $name', (dialect) => {
  let database: TestDatabase;
  let workers: JobWorker[];

  beforeEach(async () => {
    database = await dialect.create();
    workers = [];
  });
  afterEach(async () => {
    await Promise.all(workers.map((worker) => worker.stop()));
    await database.dispose();
  });

  function startWorker<K extends string>(
    handlers: Record<K, JobHandler>,
    overrides: Partial<JobWorkerOptions<K>> = {},
  ): JobWorker {
    const worker = createJobWorker({
      database: database.handle,
      clock: systemClock,
      handlers,
      workerId: 'test-worker',
      concurrency: 3,
      pollIntervalMs: 10,
      leaseMs: 5_000,
      logger: silent,
      stopTimeoutMs: 2_000,
      ...overrides,
    });
    workers.push(worker);
    worker.start();
    return worker;
  }

  const enqueue = (job: Partial<NewJob> & { kind: string }) =>
    enqueueJob(database.handle.db, { payload: null, tenantId: null, ...job }, systemClock);
  const row = (id: string) =>
    database.handle.db
      .selectFrom('jobs')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
  const statuses = async () =>
    (await database.handle.db.selectFrom('jobs').select('status').execute()).map((r) => r.status);

  it('runs every job once with its parsed payload, never more at a time than its concurrency', async () => {
    let running = 0;
    let mostAtOnce = 0;
    const seen: number[] = [];
    startWorker({
      'test.add': jobHandler(z.strictObject({ n: z.number() }), async ({ n }) => {
        running++;
        mostAtOnce = Math.max(mostAtOnce, running);
        await sleep(15);
        seen.push(n);
        running--;
      }),
    });
    for (let n = 0; n < 12; n++) await enqueue({ kind: 'test.add', payload: { n } });
    await waitFor('all done', async () => (await statuses()).every((s) => s === 'done'));
    expect(seen.sort((a, b) => a - b)).toEqual([...Array(12).keys()]);
    expect(mostAtOnce).toBeLessThanOrEqual(3);
    expect(mostAtOnce).toBeGreaterThan(1);
  });

  it('records a handler error and queues the job again, then dead-letters it', async () => {
    const failing = startWorker({
      'test.fail': async () => {
        throw new TypeError('remote said no');
      },
    });
    const retried = await enqueue({ kind: 'test.fail', maxAttempts: 3 });
    const once = await enqueue({ kind: 'test.fail', maxAttempts: 1 });
    await waitFor('one dead', async () => (await row(once)).status === 'dead');
    await failing.stop();
    expect(await row(once)).toMatchObject({ attempts: 1, lastError: 'TypeError: remote said no' });
    expect(await row(retried)).toMatchObject({
      status: 'queued',
      attempts: 1,
      lastError: 'TypeError: remote said no',
    });
    expect((await row(retried)).runAt > new Date().toISOString()).toBe(true);
  });

  it('dead-letters an unknown kind, a bad payload and a permanent error at once', async () => {
    startWorker({
      'test.typed': jobHandler(z.strictObject({ n: z.number() }), async () => undefined),
      'test.permanent': async () => {
        throw new PermanentJobError('the account was deleted');
      },
    });
    const unknown = await enqueue({ kind: 'test.from_the_future' });
    const badPayload = await enqueue({ kind: 'test.typed', payload: { n: 'one' } });
    const permanent = await enqueue({ kind: 'test.permanent' });
    await waitFor('all dead', async () => (await statuses()).every((s) => s === 'dead'));
    expect((await row(unknown)).lastError).toBe(
      'no handler for job kind "test.from_the_future" in this build (known kinds: test.typed, test.permanent)',
    );
    expect((await row(badPayload)).lastError).toContain('invalid payload');
    expect((await row(badPayload)).lastError).toContain('n');
    expect(await row(permanent)).toMatchObject({
      attempts: 1,
      lastError: 'PermanentJobError: the account was deleted',
    });
  });

  it('renews the lease while a long handler runs, so nobody else takes the job', async () => {
    let finish = () => {};
    startWorker(
      { 'test.long': () => new Promise<void>((resolve) => (finish = resolve)) },
      { leaseMs: 150 },
    );
    const id = await enqueue({ kind: 'test.long' });
    await waitFor('running', async () => (await row(id)).status === 'running');
    const other = jobQueue(database.handle, systemClock);
    for (let i = 0; i < 6; i++) {
      await sleep(100);
      expect(await other.claim('thief', 1, 150)).toEqual([]);
    }
    finish();
    await waitFor('done', async () => (await row(id)).status === 'done');
    expect((await row(id)).attempts).toBe(1);
  });

  it('aborts the handler when its lease is taken over', async () => {
    let aborted: unknown;
    startWorker(
      {
        'test.stuck': (_job, { signal }) =>
          new Promise<void>((resolve) =>
            signal.addEventListener('abort', () => {
              aborted = signal.reason;
              resolve();
            }),
          ),
      },
      { leaseMs: 300 },
    );
    const id = await enqueue({ kind: 'test.stuck' });
    await waitFor('running', async () => (await row(id)).status === 'running');
    // A worker whose clock runs a minute ahead sees the lease as expired and takes it.
    const ahead = () => new Date(Date.now() + 60_000);
    const [taken] = await jobQueue(database.handle, ahead).claim('thief', 1, 120_000);
    expect(taken?.id).toBe(id);
    await waitFor('abort', async () => aborted !== undefined);
    expect(String(aborted)).toContain('lease');
    expect(await row(id)).toMatchObject({ status: 'running', attempts: 2 });
  });

  it('stops gracefully: no new claims, running jobs finish first', async () => {
    let release = () => {};
    let started = 0;
    const worker = startWorker(
      {
        'test.slow': async () => {
          started++;
          await new Promise<void>((resolve) => (release = resolve));
        },
      },
      { concurrency: 1 },
    );
    const first = await enqueue({ kind: 'test.slow' });
    await waitFor('running', async () => (await row(first)).status === 'running');
    const second = await enqueue({ kind: 'test.slow' });
    let stopped = false;
    const stopping = worker.stop().then(() => (stopped = true));
    await sleep(50);
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect(await row(first)).toMatchObject({ status: 'done' });
    expect(await row(second)).toMatchObject({ status: 'queued', attempts: 0 });
    expect(started).toBe(1);
  });

  it('stops within its bound when a handler never ends, aborting it', async () => {
    let signal: AbortSignal | undefined;
    const worker = startWorker(
      {
        'test.forever': (_job, context) => {
          signal = context.signal;
          return new Promise<void>(() => {});
        },
      },
      { stopTimeoutMs: 100 },
    );
    const id = await enqueue({ kind: 'test.forever' });
    await waitFor('running', async () => (await row(id)).status === 'running');
    const startedAt = Date.now();
    await worker.stop();
    expect(Date.now() - startedAt).toBeLessThan(1_000);
    expect(signal?.aborted).toBe(true);
    expect((await row(id)).status).toBe('running');
  });
});
