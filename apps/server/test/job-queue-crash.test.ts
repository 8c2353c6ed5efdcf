import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { enqueueJob, systemClock } from '@provod/db';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { testDialects, type TestDatabase } from '../../../packages/db/test/test-databases.ts';

/*
 * Issue "durable job queue", done when: kill -9 during job processing, restart, and every
 * job is done exactly once or retried, none lost. A real worker runs in a child process
 * (fixtures/job-worker-child.ts); this test kills it with SIGKILL while jobs are running,
 * starts another, and checks the database afterwards.
 */

const fixture = fileURLToPath(new URL('./fixtures/job-worker-child.ts', import.meta.url));
const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));
const jobCount = 40;
const leaseMs = 1_000;

describe.each(testDialects)('job queue across a kill -9 on $name', (dialect) => {
  let database: TestDatabase | undefined;
  const children: { process: ChildProcess; stderr: string[] }[] = [];

  afterEach(async () => {
    for (const child of children) {
      if (!hasExited(child.process)) child.process.kill('SIGKILL');
    }
    await Promise.all(children.map((child) => exited(child.process)));
    children.length = 0;
    await database?.dispose();
    database = undefined;
  });

  function startWorker(target: TestDatabase['target']): ChildProcess {
    const child = spawn(process.execPath, ['--import', 'tsx', fixture], {
      cwd: repositoryRoot,
      env: {
        ...process.env,
        PROVOD_TEST_DATABASE: JSON.stringify(target),
        PROVOD_TEST_LEASE_MS: String(leaseMs),
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const stderr: string[] = [];
    child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
    children.push({ process: child, stderr });
    return child;
  }

  it('finishes every job exactly once in effect, retrying the interrupted ones', async () => {
    database = await dialect.create();
    const { db } = database.handle;
    await sql`create table test_effects (job_id text primary key, runs integer not null)`.execute(
      db,
    );
    const ids = new Set<string>();
    for (let i = 0; i < jobCount; i++) {
      const payload = { delayMs: 20 + ((i * 37) % 61) };
      ids.add(await enqueueJob(db, { kind: 'test.effect', payload, tenantId: null }, systemClock));
    }
    const countByStatus = async () => {
      const rows = await db
        .selectFrom('jobs')
        .select(['status', (eb) => eb.fn.countAll<number>().as('count')])
        .groupBy('status')
        .execute();
      const counts = { queued: 0, running: 0, done: 0, dead: 0 };
      for (const row of rows) counts[row.status as keyof typeof counts] = Number(row.count);
      return counts;
    };
    const diagnostics = () => children.map((c) => c.stderr.join('')).join('\n---\n');

    const first = startWorker(database.target);
    await waitFor('some but not all jobs done, some running', diagnostics, async () => {
      const counts = await countByStatus();
      if (counts.done === jobCount) throw new Error('the worker finished before it was killed');
      return counts.done >= 5 && counts.running >= 2;
    });
    first.kill('SIGKILL');
    await exited(first);
    expect(first.signalCode).toBe('SIGKILL');
    const interrupted = await db
      .selectFrom('jobs')
      .select('id')
      .where('status', '=', 'running')
      .execute();
    expect(interrupted.length).toBeGreaterThan(0);

    const second = startWorker(database.target);
    await waitFor(
      'all jobs done after the restart',
      diagnostics,
      async () => (await countByStatus()).done === jobCount,
    );
    second.kill('SIGTERM');
    await exited(second);
    expect(second.exitCode).toBe(0);

    const jobs = await db.selectFrom('jobs').select(['id', 'status', 'attempts']).execute();
    const effects = await sql<{ jobId: string; runs: number }>`
        select job_id, runs from test_effects`.execute(db);
    const runsOf = new Map(effects.rows.map((row) => [row.jobId, Number(row.runs)]));

    expect(jobs).toHaveLength(jobCount);
    expect(jobs.filter((job) => job.status !== 'done')).toEqual([]);
    expect(new Set(runsOf.keys())).toEqual(ids);
    for (const job of jobs) {
      const runs = runsOf.get(job.id) ?? 0;
      expect(runs).toBeGreaterThanOrEqual(1);
      expect(runs).toBeLessThanOrEqual(job.attempts);
    }
    for (const { id } of interrupted) {
      expect(jobs.find((job) => job.id === id)?.attempts).toBe(2);
    }
    expect(jobs.some((job) => job.attempts > 1 || (runsOf.get(job.id) ?? 0) > 1)).toBe(true);
  }, 90_000);
});

async function waitFor(
  what: string,
  diagnostics: () => string,
  condition: () => Promise<boolean>,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}; worker stderr:\n${diagnostics()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (hasExited(child)) resolve();
    else child.once('exit', () => resolve());
  });
}
