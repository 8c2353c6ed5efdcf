import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testDialects, type TestDatabase } from '../../test/test-databases.ts';
import type { Clock } from '../clock.ts';
import { openDatabase } from '../connect.ts';
import { tenantRepository } from '../repositories/tenants.ts';
import { TenantScope } from '../tenant-scope.ts';
import {
  enqueueJob,
  jobBackoffMs,
  jobQueue,
  jobRepository,
  type ClaimedJob,
  type NewJob,
} from './job-queue.ts';

class RolledBack extends Error {}

describe('jobBackoffMs', () => {
  it('doubles from one second, jitters between half and all of it, and stops at an hour', () => {
    expect(jobBackoffMs(1, () => 0)).toBe(500);
    expect(jobBackoffMs(1, () => 1)).toBe(1_000);
    expect(jobBackoffMs(2, () => 1)).toBe(2_000);
    expect(jobBackoffMs(4, () => 0.5)).toBe(6_000);
    expect(jobBackoffMs(40, () => 1)).toBe(3_600_000);
  });
});

describe.each(testDialects)('job queue on $name', (dialect) => {
  let database: TestDatabase;
  let now: Date;
  const clock: Clock = () => new Date(now);
  const advance = (ms: number) => (now = new Date(now.getTime() + ms));
  const job = (overrides: Partial<NewJob> = {}): NewJob => ({
    kind: 'test.noop',
    payload: { n: 1 },
    tenantId: null,
    ...overrides,
  });
  const statusOf = async (id: string) =>
    database.handle.db
      .selectFrom('jobs')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();

  beforeEach(async () => {
    now = new Date('2030-01-01T00:00:00.000Z');
    database = await dialect.create();
  });
  afterEach(() => database.dispose());

  it('never gives the same job to two claimers racing on two connections', async () => {
    const ids = new Set<string>();
    for (let i = 0; i < 60; i++) ids.add(await enqueueJob(database.handle.db, job(), clock));
    const second = openDatabase(database.target);
    try {
      const queues = [jobQueue(database.handle, clock), jobQueue(second, clock)];
      const claimed: ClaimedJob[] = [];
      const claimer = async (queue: (typeof queues)[number], worker: string) => {
        for (;;) {
          const batch = await queue.claim(worker, 3, 30_000);
          if (batch.length === 0) return;
          claimed.push(...batch);
        }
      };
      await Promise.all(
        queues.flatMap((queue, q) => [0, 1, 2, 3].map((w) => claimer(queue, `w${q}-${w}`))),
      );
      expect(claimed).toHaveLength(60);
      expect(new Set(claimed.map((c) => c.id))).toEqual(ids);
      expect(claimed.every((c) => c.attempts === 1)).toBe(true);
    } finally {
      await second.close();
    }
  });

  it('backs off exponentially after failures, then dead-letters, and retries a dead job', async () => {
    const queue = jobQueue(database.handle, clock, () => 1);
    const id = await enqueueJob(database.handle.db, job({ maxAttempts: 3 }), clock);

    const [first] = await queue.claim('w', 1, 10_000);
    expect(first?.attempts).toBe(1);
    expect(await queue.fail({ id, lockedBy: first?.lockedBy ?? '' }, 'boom 1')).toBe('queued');
    expect((await statusOf(id)).runAt).toBe('2030-01-01T00:00:01.000Z');
    expect(await queue.claim('w', 1, 10_000)).toEqual([]);

    advance(1_000);
    const [second] = await queue.claim('w', 1, 10_000);
    expect(second?.attempts).toBe(2);
    expect(await queue.fail({ id, lockedBy: second?.lockedBy ?? '' }, 'boom 2')).toBe('queued');
    expect((await statusOf(id)).runAt).toBe('2030-01-01T00:00:03.000Z');

    advance(2_000);
    const [third] = await queue.claim('w', 1, 10_000);
    expect(await queue.fail({ id, lockedBy: third?.lockedBy ?? '' }, 'boom 3')).toBe('dead');
    const dead = await statusOf(id);
    expect(dead).toMatchObject({
      status: 'dead',
      attempts: 3,
      lastError: 'boom 3',
      lockedBy: null,
    });
    expect(dead.finishedAt).toBe(now.toISOString());
    advance(3_600_000);
    expect(await queue.claim('w', 1, 10_000)).toEqual([]);

    expect(await queue.retryDead(id)).toBe(true);
    expect(await queue.retryDead(id)).toBe(false);
    expect(await statusOf(id)).toMatchObject({ status: 'queued', attempts: 0, finishedAt: null });
    expect((await queue.claim('w', 1, 10_000)).map((c) => c.id)).toEqual([id]);
  });

  it('dead-letters at once on a permanent failure', async () => {
    const queue = jobQueue(database.handle, clock);
    const id = await enqueueJob(database.handle.db, job(), clock);
    const [claimed] = await queue.claim('w', 1, 10_000);
    const lease = { id, lockedBy: claimed?.lockedBy ?? '' };
    expect(await queue.fail(lease, 'no handler', { permanent: true })).toBe('dead');
    expect(await statusOf(id)).toMatchObject({ status: 'dead', attempts: 1 });
  });

  it('gives a job whose lease expired to another worker and fences the first one out', async () => {
    const queue = jobQueue(database.handle, clock);
    const id = await enqueueJob(database.handle.db, job(), clock);
    const [mine] = await queue.claim('w1', 5, 1_000);
    const lease1 = { id, lockedBy: mine?.lockedBy ?? '' };
    expect(lease1.lockedBy).toMatch(/^w1\//);

    advance(500);
    expect(await queue.claim('w2', 5, 1_000)).toEqual([]);
    expect(await queue.renewLease(lease1, 1_000)).toBe(true);
    advance(900);
    expect(await queue.claim('w2', 5, 1_000)).toEqual([]);

    advance(200);
    const [taken] = await queue.claim('w2', 5, 1_000);
    expect(taken).toMatchObject({ id, attempts: 2 });
    const lease2 = { id, lockedBy: taken?.lockedBy ?? '' };

    expect(await queue.renewLease(lease1, 1_000)).toBe(false);
    expect(await queue.complete(lease1)).toBe(false);
    expect(await queue.fail(lease1, 'late')).toBeNull();
    expect(await statusOf(id)).toMatchObject({ status: 'running', lastError: null });

    expect(await queue.complete(lease2)).toBe(true);
    expect(await statusOf(id)).toMatchObject({ status: 'done', lockedBy: null });
    expect(await queue.complete(lease2)).toBe(false);
  });

  it('fences a worker that reclaims its own job under a new lease', async () => {
    const queue = jobQueue(database.handle, clock);
    const id = await enqueueJob(database.handle.db, job(), clock);
    const [old] = await queue.claim('w', 1, 1_000);
    advance(1_001);
    const [again] = await queue.claim('w', 1, 1_000);
    expect(again?.lockedBy).not.toBe(old?.lockedBy);
    expect(await queue.complete({ id, lockedBy: old?.lockedBy ?? '' })).toBe(false);
    expect(await queue.complete({ id, lockedBy: again?.lockedBy ?? '' })).toBe(true);
  });

  it('dead-letters a job whose worker was lost during its last attempt', async () => {
    const queue = jobQueue(database.handle, clock);
    const id = await enqueueJob(database.handle.db, job({ maxAttempts: 1 }), clock);
    expect(await queue.claim('w1', 1, 1_000)).toHaveLength(1);
    advance(1_001);
    expect(await queue.claim('w2', 1, 1_000)).toEqual([]);
    expect(await statusOf(id)).toMatchObject({ status: 'dead', attempts: 1 });
    expect((await statusOf(id)).lastError).toContain('lease expired');
  });

  it('waits for runAt before a job is claimable', async () => {
    const queue = jobQueue(database.handle, clock);
    const later = new Date(now.getTime() + 60_000);
    await enqueueJob(database.handle.db, job({ runAt: later }), clock);
    expect(await queue.claim('w', 1, 1_000)).toEqual([]);
    advance(60_000);
    expect(await queue.claim('w', 1, 1_000)).toHaveLength(1);
  });

  it('enqueues with the transaction it is given: rolled back, no job; committed, a job', async () => {
    const { db } = database.handle;
    await expect(
      db.transaction().execute(async (trx) => {
        await enqueueJob(trx, job({ kind: 'lost' }), clock);
        throw new RolledBack();
      }),
    ).rejects.toBeInstanceOf(RolledBack);
    const kept = await db
      .transaction()
      .execute((trx) => enqueueJob(trx, job({ kind: 'kept' }), clock));
    const rows = await db.selectFrom('jobs').select(['id', 'kind']).execute();
    expect(rows).toEqual([{ id: kept, kind: 'kept' }]);
  });

  it("lists a tenant's own jobs page by page, filtered, never another tenant's or the operator's", async () => {
    const tenants = tenantRepository(database.handle.db, clock);
    const common = {
      timeZone: 'Europe/Moscow',
      language: 'ru' as const,
      recordingRetentionDays: 30,
      currency: 'RUB',
    };
    const a = await tenants.create({ slug: 'a', name: 'A', sipDomain: 'a.test', ...common });
    const b = await tenants.create({ slug: 'b', name: 'B', sipDomain: 'b.test', ...common });
    const mine: string[] = [];
    for (let i = 0; i < 5; i++) {
      advance(1);
      mine.push(
        await enqueueJob(database.handle.db, job({ tenantId: a.id, kind: `k${i % 2}` }), clock),
      );
    }
    const theirs = await enqueueJob(database.handle.db, job({ tenantId: b.id }), clock);
    const operator = await enqueueJob(database.handle.db, job(), clock);
    const repo = jobRepository(new TenantScope(database.handle.db, a.id), clock);

    const first = await repo.list({ limit: 2 });
    expect(first.items.map((j) => j.id)).toEqual([mine[4], mine[3]]);
    const second = await repo.list({ limit: 2, cursor: first.nextCursor ?? '' });
    const third = await repo.list({ limit: 2, cursor: second.nextCursor ?? '' });
    expect([...second.items, ...third.items].map((j) => j.id)).toEqual([mine[2], mine[1], mine[0]]);
    expect(third.nextCursor).toBeNull();
    expect((await repo.list({ limit: 50, kind: 'k1' })).items.map((j) => j.id)).toEqual([
      mine[3],
      mine[1],
    ]);
    expect((await repo.list({ limit: 50, status: 'dead' })).items).toEqual([]);
    expect(await repo.get(theirs)).toBeUndefined();
    expect(await repo.get(operator)).toBeUndefined();
    expect(await repo.retryDead(operator)).toBeUndefined();
    expect(await repo.get(mine[0] ?? '')).toMatchObject({ status: 'queued', payload: { n: 1 } });
  });
});
