import { enqueueJob } from '@provod/db';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, testDialects, type TestApp } from '../../test/test-app.ts';
import { pruneHousekeeping } from './housekeeping.ts';

describe.each(testDialects)('housekeeping on $name', (dialect) => {
  let now: Date;
  let t: TestApp;

  beforeEach(async () => {
    now = new Date('2026-03-01T10:00:00.000Z');
    t = await createTestApp(dialect, () => now);
  });
  afterEach(() => t.close());

  const db = () => t.services.deps.database.db;

  async function jobIn(status: 'done' | 'dead' | 'queued', finishedAt: string | null) {
    const id = await enqueueJob(
      db(),
      { kind: 'test.kind', payload: {}, tenantId: null },
      t.services.deps.clock,
    );
    await db().updateTable('jobs').set({ status, finishedAt }).where('id', '=', id).execute();
    return id;
  }

  it('removes expired sessions and jobs done more than 14 days ago, keeps the rest', async () => {
    const tenant = await t.createTenant('acme');
    await t.loginAs('admin', tenant);
    const oldDone = await jobIn('done', '2026-02-01T00:00:00.000Z');
    const recentDone = await jobIn('done', '2026-03-20T00:00:00.000Z');
    const dead = await jobIn('dead', '2026-01-01T00:00:00.000Z');
    const queued = await jobIn('queued', null);

    now = new Date('2026-03-30T10:00:00.000Z'); // the 24-hour test session has expired
    expect(await pruneHousekeeping(t.services.deps)).toEqual({ jobs: 1 });

    const left = await db().selectFrom('jobs').select('id').orderBy('id').execute();
    expect(left.map((j) => j.id).sort()).toEqual([recentDone, dead, queued].sort());
    expect(left.map((j) => j.id)).not.toContain(oldDone);
    expect(await db().selectFrom('sessions').selectAll().execute()).toEqual([]);
  });
});
