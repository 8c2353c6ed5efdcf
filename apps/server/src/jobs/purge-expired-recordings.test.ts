import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { callRepository, recordingRepository, TenantScope } from '@provod/db';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { wav } from '../../test/audio-fixtures.ts';
import { createTestApp, testDialects, type TestApp } from '../../test/test-app.ts';
import { createJobHandlers } from './job-kinds.ts';
import { purgeExpiredRecordingsJob } from './purge-expired-recordings.ts';
import { scheduleNextRun } from './recurring-jobs.ts';

describe.each(testDialects)('recordings retention purge on $name', (dialect) => {
  let now: Date;
  let t: TestApp;
  let scope: TenantScope;

  beforeEach(async () => {
    now = new Date('2026-03-01T10:00:00.000Z');
    t = await createTestApp(dialect, () => now);
    const tenant = await t.createTenant('acme');
    scope = new TenantScope(t.services.deps.database.db, tenant.tenantId);
  });
  afterEach(() => t.close());

  async function storedRecording(name: string, retentionDays: number) {
    const call = await callRepository(scope, t.services.deps.clock).recordCall({
      direction: 'internal',
      status: 'answered',
      caller: '101',
      callee: '102',
      phoneNumber: null,
      extensionNumber: '101',
      sipCallId: null,
      startedAt: now.toISOString(),
      answeredAt: now.toISOString(),
      endedAt: now.toISOString(),
      hangupCause: null,
      durationSeconds: 1,
      talkSeconds: 1,
      schemePath: [],
      legs: [],
    });
    const storagePath = `recordings/${scope.tenantId}/${name}.wav`;
    mkdirSync(join(t.dataDir, 'recordings', scope.tenantId), { recursive: true });
    writeFileSync(join(t.dataDir, storagePath), wav());
    const recording = await recordingRepository(scope, t.services.deps.clock).create(
      { callId: call.id, storagePath, format: 'wav', durationSeconds: 1, sizeBytes: 100 },
      retentionDays,
    );
    return { id: recording.id, file: join(t.dataDir, storagePath) };
  }

  async function runPurge(jobId: string) {
    const handlers = createJobHandlers(t.services.deps, t.services.crm.delivery);
    await handlers[purgeExpiredRecordingsJob.kind](
      {
        id: jobId,
        tenantId: null,
        kind: purgeExpiredRecordingsJob.kind,
        payload: {},
        attempts: 1,
        maxAttempts: 5,
      },
      { signal: new AbortController().signal, logger: pino({ level: 'silent' }) },
    );
  }

  function pendingPurges() {
    return t.services.deps.database.db
      .selectFrom('jobs')
      .select(['id', 'runAt'])
      .where('kind', '=', purgeExpiredRecordingsJob.kind)
      .where('status', '=', 'queued')
      .execute();
  }

  it('deletes the files and rows of expired recordings only, and queues the next run', async () => {
    const old = await storedRecording('old', 1);
    const fresh = await storedRecording('fresh', 30);
    now = new Date('2026-03-05T10:00:00.000Z');

    await runPurge('00000000-0000-7000-8000-000000000000');

    expect(existsSync(old.file)).toBe(false);
    expect(existsSync(fresh.file)).toBe(true);
    const recordings = recordingRepository(scope, t.services.deps.clock);
    expect(await recordings.get(old.id)).toBeUndefined();
    expect(await recordings.get(fresh.id)).toBeDefined();
    expect(await pendingPurges()).toEqual([
      {
        id: expect.any(String) as string,
        runAt: new Date(now.getTime() + purgeExpiredRecordingsJob.intervalMs).toISOString(),
      },
    ]);
  });

  it('finishes a purge interrupted between the files and the rows', async () => {
    const old = await storedRecording('old', 1);
    now = new Date('2026-03-05T10:00:00.000Z');
    // The crashed run had deleted the file but not yet the row.
    rmSync(old.file);
    await runPurge('00000000-0000-7000-8000-000000000001');
    expect(await recordingRepository(scope, t.services.deps.clock).get(old.id)).toBeUndefined();
  });

  it('keeps a single purge queued however often it is scheduled', async () => {
    await scheduleNextRun(t.services.deps, purgeExpiredRecordingsJob);
    await scheduleNextRun(t.services.deps, purgeExpiredRecordingsJob);
    expect(await pendingPurges()).toHaveLength(1);
  });
});
