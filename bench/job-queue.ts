/**
 * Job-queue throughput: how fast the durable queue enqueues and drains no-op jobs on
 * SQLite and on PostgreSQL, through the same worker `provod start` runs. Run with
 * `npm run bench:jobs`; figures go to docs/benchmarks.md. Compare the two dialects
 * within one run — absolute numbers depend on the machine.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  enqueueJob,
  migrateToLatest,
  openDatabase,
  systemClock,
  type DatabaseTarget,
} from '@provod/db';
import pino from 'pino';
import { createJobWorker } from '../apps/server/src/jobs/job-worker.ts';
import { startTestPostgres } from '../packages/db/test/postgres-server.ts';

const jobCount = Number(process.env.BENCH_JOBS ?? 3000);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 8);

async function measure(name: string, target: DatabaseTarget): Promise<void> {
  const database = openDatabase(target);
  await migrateToLatest(database.raw);
  const enqueueStart = performance.now();
  // 100 jobs per transaction, as a burst of CRM requests after a busy minute would be.
  for (let i = 0; i < jobCount; i += 100) {
    await database.db.transaction().execute(async (trx) => {
      for (let j = i; j < Math.min(i + 100, jobCount); j++) {
        await enqueueJob(
          trx,
          { kind: 'bench.noop', payload: { n: j }, tenantId: null },
          systemClock,
        );
      }
    });
  }
  const enqueueMs = performance.now() - enqueueStart;

  let done = 0;
  let drained: () => void = () => undefined;
  const allDone = new Promise<void>((resolve) => (drained = resolve));
  const worker = createJobWorker({
    database,
    clock: systemClock,
    handlers: {
      'bench.noop': async () => {
        if (++done === jobCount) drained();
      },
    },
    workerId: 'bench',
    concurrency,
    pollIntervalMs: 50,
    leaseMs: 30_000,
    logger: pino({ level: 'silent' }),
  });
  const drainStart = performance.now();
  worker.start();
  await allDone;
  const drainMs = performance.now() - drainStart;
  await worker.stop();
  await database.close();
  const rate = (ms: number) => Math.round((jobCount / ms) * 1000);
  console.log(`| ${name} | ${jobCount} | ${rate(enqueueMs)} | ${rate(drainMs)} | ${concurrency} |`);
}

const dir = mkdtempSync(join(tmpdir(), 'provod-bench-'));
const postgres = await startTestPostgres();
try {
  console.log('| database | jobs | enqueued / s | completed / s | worker concurrency |');
  console.log('| --- | --- | --- | --- | --- |');
  await measure('SQLite (WAL)', { kind: 'sqlite', file: join(dir, 'bench.sqlite') });
  await measure('PostgreSQL 15', { kind: 'postgres', url: postgres.url });
} finally {
  await postgres.stop();
  rmSync(dir, { recursive: true, force: true });
}
