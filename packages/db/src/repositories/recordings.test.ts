import { recordingQuerySchema } from '@provod/contracts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testDialects, twoTenantScopes, type TestDatabase } from '../../test/test-databases.ts';
import type { Clock } from '../clock.ts';
import { TenantScope } from '../tenant-scope.ts';
import { callRepository } from './calls.ts';
import { deleteRecordingRows, expiredRecordings, recordingRepository } from './recordings.ts';

let now = new Date('2025-03-01T12:00:00.000Z');
const clock: Clock = () => now;
/** Ids order by their millisecond; objects made in one millisecond have no order. */
const tick = () => {
  now = new Date(now.getTime() + 1);
};

const callInput = {
  direction: 'inbound' as const,
  status: 'answered' as const,
  caller: '+74951234567',
  callee: '101',
  phoneNumber: null,
  extensionNumber: '101',
  sipCallId: null,
  startedAt: '2025-03-01T11:00:00Z',
  answeredAt: null,
  endedAt: null,
  durationSeconds: 10,
  talkSeconds: 5,
  hangupCause: null,
  legs: [],
};

function recordingInput(callId: string | null, name: string) {
  return {
    callId,
    storagePath: `recordings/${name}.wav`,
    format: 'wav' as const,
    durationSeconds: 5,
    sizeBytes: 80_044,
  };
}

describe.each(testDialects)('recording repository on $name', (dialect) => {
  let database: TestDatabase;
  let scopeA: TenantScope;
  let scopeB: TenantScope;

  beforeEach(async () => {
    now = new Date('2025-03-01T12:00:00.000Z');
    database = await dialect.create();
    ({ scopeA, scopeB } = await twoTenantScopes(database.handle));
  });
  afterEach(() => database.dispose());

  it("keeps a recording for the tenant's retention and lists it with its call", async () => {
    const call = await callRepository(scopeA, clock).recordCall(callInput);
    const recordings = recordingRepository(scopeA, clock);
    const first = await recordings.create(recordingInput(call.id, 'one'), 30);
    tick();
    const second = await recordings.create(recordingInput(call.id, 'two'), 30);
    const loose = await recordings.create(recordingInput(null, 'three'), 7);

    expect(first.createdAt).toBe('2025-03-01T12:00:00.000Z');
    expect(first.expiresAt).toBe('2025-03-31T12:00:00.000Z');
    expect(loose.expiresAt).toBe('2025-03-08T12:00:00.001Z');
    expect(await recordings.get(first.id)).toEqual(first);
    expect((await callRepository(scopeA, clock).get(call.id))?.recordingIds).toEqual([
      first.id,
      second.id,
    ]);

    const page = await recordings.list(recordingQuerySchema.parse({ limit: '1', callId: call.id }));
    expect(page.items.map((r) => r.id)).toEqual([second.id]);
    const rest = await recordings.list(
      recordingQuerySchema.parse({ callId: call.id, cursor: page.nextCursor }),
    );
    expect(rest).toEqual({ items: [first], nextCursor: null });
  });

  it('refuses a path outside the data directory and a call of another tenant', async () => {
    const recordings = recordingRepository(scopeA, clock);
    for (const storagePath of ['../etc/passwd', '/etc/passwd', 'recordings/../../x.wav']) {
      await expect(
        recordings.create({ ...recordingInput(null, 'x'), storagePath }, 30),
      ).rejects.toMatchObject({ name: 'ZodError' });
    }
    const theirCall = await callRepository(scopeB, clock).recordCall(callInput);
    await expect(recordings.create(recordingInput(theirCall.id, 'x'), 30)).rejects.toMatchObject({
      code: 'not_found',
    });
  });

  it("neither reads nor deletes another tenant's recordings", async () => {
    const mine = await recordingRepository(scopeA, clock).create(recordingInput(null, 'a'), 30);
    const theirs = recordingRepository(scopeB, clock);
    expect(await theirs.get(mine.id)).toBeUndefined();
    expect(await theirs.delete(mine.id)).toBe(false);
    expect((await theirs.list(recordingQuerySchema.parse({}))).items).toEqual([]);
    expect(await recordingRepository(scopeA, clock).delete(mine.id)).toBe(true);
    expect(await recordingRepository(scopeA, clock).get(mine.id)).toBeUndefined();
  });

  it('deletes expired recordings of every tenant and returns their files', async () => {
    await recordingRepository(scopeA, clock).create(recordingInput(null, 'a-short'), 1);
    const kept = await recordingRepository(scopeA, clock).create(
      recordingInput(null, 'a-long'),
      30,
    );
    await recordingRepository(scopeB, clock).create(recordingInput(null, 'b-short'), 2);

    const later = new Date('2025-03-03T12:00:00.000Z');
    const expired = await expiredRecordings(database.handle.db, later, 100);
    expect(expired.map((r) => r.storagePath).sort()).toEqual([
      'recordings/a-short.wav',
      'recordings/b-short.wav',
    ]);
    expect(await expiredRecordings(database.handle.db, later, 1)).toHaveLength(1);
    await deleteRecordingRows(
      database.handle.db,
      expired.map((r) => r.id),
    );
    expect(
      (await recordingRepository(scopeA, clock).list(recordingQuerySchema.parse({}))).items,
    ).toEqual([kept]);
    expect(await expiredRecordings(database.handle.db, later, 100)).toEqual([]);
  });
});
