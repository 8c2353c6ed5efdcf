import { callQuerySchema, type CallRecordInput } from '@provod/contracts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testDialects, twoTenantScopes, type TestDatabase } from '../../test/test-databases.ts';
import { systemClock } from '../clock.ts';
import { TenantScope } from '../tenant-scope.ts';
import { callRepository } from './calls.ts';

function callInput(overrides: Partial<CallRecordInput> = {}): CallRecordInput {
  return {
    direction: 'inbound',
    status: 'answered',
    caller: '+74951234567',
    callee: '101',
    phoneNumber: '+74957654321',
    extensionNumber: '101',
    sipCallId: 'a84b4c76e66710@pc33.example.com',
    startedAt: '2025-03-01T09:00:00Z',
    answeredAt: '2025-03-01T09:00:05Z',
    endedAt: '2025-03-01T09:01:05Z',
    durationSeconds: 65,
    talkSeconds: 60,
    hangupCause: 'normal_clearing',
    schemePath: [],
    legs: [],
    ...overrides,
  };
}

describe.each(testDialects)('call repository on $name', (dialect) => {
  let database: TestDatabase;
  let scopeA: TenantScope;
  let scopeB: TenantScope;

  beforeEach(async () => {
    database = await dialect.create();
    ({ scopeA, scopeB } = await twoTenantScopes(database.handle));
  });
  afterEach(() => database.dispose());

  const query = (q: Record<string, unknown> = {}) => callQuerySchema.parse(q);

  it('records a call with its legs, scheme path and media stats and reads it back', async () => {
    const calls = callRepository(scopeA, systemClock);
    const recorded = await calls.recordCall(
      callInput({
        schemePath: [
          { nodeId: 'start', kind: 'start', enteredAt: '2025-03-01T09:00:00Z' },
          { nodeId: 'menu-1', kind: 'menu', enteredAt: '2025-03-01T09:00:01Z', outcome: '1' },
        ],
        legs: [
          {
            role: 'caller',
            party: '+74951234567',
            sipCallId: 'a84b4c76e66710@pc33.example.com',
            status: 'answered',
            startedAt: '2025-03-01T09:00:00Z',
            answeredAt: '2025-03-01T09:00:00.250Z',
            endedAt: '2025-03-01T09:01:05Z',
            mediaStats: { packets: 3000, lost: 2, jitterMs: 4.5, mos: 4.3 },
          },
          {
            role: 'callee',
            party: '101',
            sipCallId: null,
            status: 'answered',
            startedAt: '2025-03-01T09:00:01Z',
            answeredAt: '2025-03-01T09:00:05Z',
            endedAt: '2025-03-01T09:01:05Z',
            mediaStats: null,
          },
        ],
      }),
    );
    const read = await calls.get(recorded.id);
    expect(read).toEqual(recorded);
    expect(read?.startedAt).toBe('2025-03-01T09:00:00.000Z');
    expect(read?.legs.map((l) => [l.role, l.mediaStats?.mos])).toEqual([
      ['caller', 4.3],
      ['callee', undefined],
    ]);
    expect(read?.schemePath[1]).toEqual({
      nodeId: 'menu-1',
      kind: 'menu',
      enteredAt: '2025-03-01T09:00:01Z',
      outcome: '1',
    });
  });

  it('replaces a call written again with the same id, legs included', async () => {
    const calls = callRepository(scopeA, systemClock);
    const leg = {
      role: 'caller' as const,
      party: '+74951234567',
      sipCallId: null,
      status: 'in_progress' as const,
      startedAt: '2025-03-01T09:00:00Z',
      answeredAt: null,
      endedAt: null,
      mediaStats: null,
    };
    const started = await calls.recordCall(
      callInput({ status: 'in_progress', endedAt: null, legs: [leg] }),
    );
    await calls.recordCall(
      callInput({
        id: started.id,
        legs: [
          { ...leg, status: 'answered' },
          { ...leg, role: 'callee', party: '101', startedAt: '2025-03-01T09:00:01Z' },
        ],
      }),
    );
    const read = await calls.get(started.id);
    expect(read?.status).toBe('answered');
    expect(read?.legs.map((l) => [l.role, l.status])).toEqual([
      ['caller', 'answered'],
      ['callee', 'in_progress'],
    ]);
    expect((await calls.list(query())).items).toHaveLength(1);
  });

  it('refuses malformed input before writing anything', async () => {
    const calls = callRepository(scopeA, systemClock);
    await expect(calls.recordCall(callInput({ startedAt: 'yesterday' }))).rejects.toMatchObject({
      name: 'ZodError',
    });
    expect((await calls.list(query())).items).toEqual([]);
  });

  it('pages through 120 calls newest first, each exactly once, across equal start times', async () => {
    const calls = callRepository(scopeA, systemClock);
    const base = Date.parse('2025-03-01T00:00:00Z');
    // Three calls share each start minute; written in a scrambled order.
    const order = Array.from({ length: 120 }, (_, i) => (i * 37) % 120);
    const written: { id: string; startedAt: string }[] = [];
    for (const i of order) {
      const startedAt = new Date(base + Math.floor(i / 3) * 60_000).toISOString();
      const call = await calls.recordCall(callInput({ startedAt }));
      written.push({ id: call.id, startedAt: call.startedAt });
    }
    const descending = (x: string, y: string) => (x < y ? 1 : x > y ? -1 : 0);
    const expected = written
      .sort((x, y) => descending(x.startedAt, y.startedAt) || descending(x.id, y.id))
      .map((c) => c.id);
    expect(new Set(expected).size).toBe(120);

    const seen: string[] = [];
    const pageSizes: number[] = [];
    let cursor: string | undefined;
    do {
      const page = await calls.list(query({ limit: '50', ...(cursor && { cursor }) }));
      pageSizes.push(page.items.length);
      seen.push(...page.items.map((c) => c.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
    expect(pageSizes).toEqual([50, 50, 20]);
    expect(seen).toEqual(expected);
  });

  it('combines every filter', async () => {
    const calls = callRepository(scopeA, systemClock);
    const inbound = await calls.recordCall(callInput({ startedAt: '2025-03-01T09:00:00Z' }));
    const missed = await calls.recordCall(
      callInput({
        status: 'missed',
        caller: '+79161112233',
        extensionNumber: '102',
        startedAt: '2025-03-02T09:00:00Z',
        answeredAt: null,
        talkSeconds: 0,
      }),
    );
    const outbound = await calls.recordCall(
      callInput({
        direction: 'outbound',
        caller: '102',
        callee: '+78123334455',
        phoneNumber: null,
        extensionNumber: '102',
        startedAt: '2025-03-03T09:00:00Z',
      }),
    );
    const internal = await calls.recordCall(
      callInput({
        direction: 'internal',
        caller: '101',
        callee: '102',
        phoneNumber: null,
        startedAt: '2025-03-04T09:00:00Z',
      }),
    );
    const ids = async (q: Record<string, unknown>) =>
      (await calls.list(query(q))).items.map((c) => c.id);

    expect(await ids({})).toEqual([internal.id, outbound.id, missed.id, inbound.id]);
    expect(await ids({ direction: 'outbound' })).toEqual([outbound.id]);
    expect(await ids({ status: 'missed' })).toEqual([missed.id]);
    expect(await ids({ extension: '102' })).toEqual([outbound.id, missed.id]);
    expect(await ids({ number: '+7 (916) 111-22' })).toEqual([missed.id]);
    expect(await ids({ number: '8123334455' })).toEqual([outbound.id]);
    expect(await ids({ number: '74957654321' })).toEqual([missed.id, inbound.id]);
    expect(await ids({ from: '2025-03-02T09:00:00Z', to: '2025-03-04T09:00:00.000Z' })).toEqual([
      outbound.id,
      missed.id,
    ]);
    expect(
      await ids({
        from: '2025-03-01T00:00:00Z',
        extension: '102',
        direction: 'inbound',
        number: '9161112233',
        status: 'missed',
      }),
    ).toEqual([missed.id]);
    expect(await ids({ extension: '102', direction: 'internal' })).toEqual([]);
  });

  it("never shows another tenant's calls", async () => {
    const mine = await callRepository(scopeA, systemClock).recordCall(callInput());
    const theirs = callRepository(scopeB, systemClock);
    expect(await theirs.get(mine.id)).toBeUndefined();
    expect((await theirs.list(query())).items).toEqual([]);
    // Writing A's id through B's scope must not touch A's call.
    await expect(theirs.recordCall(callInput({ id: mine.id }))).rejects.toThrow();
    expect((await callRepository(scopeA, systemClock).get(mine.id))?.caller).toBe(mine.caller);
  });

  it('answers invalid_cursor to a cursor it did not issue', async () => {
    const calls = callRepository(scopeA, systemClock);
    for (const cursor of ['not-a-cursor!', Buffer.from('["only-one"]').toString('base64url')]) {
      await expect(calls.list(query({ cursor }))).rejects.toMatchObject({
        code: 'invalid_cursor',
      });
    }
  });
});
