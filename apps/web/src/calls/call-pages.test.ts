import type { Call, Page } from '@provod/contracts';
import { describe, expect, it } from 'vitest';
import type { CallListQuery } from '../api/provod-api.ts';
import { allCalls, loadMoreCalls } from './call-pages.ts';

function call(n: number): Call {
  return {
    id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    direction: 'inbound',
    status: 'answered',
    caller: '+74951234567',
    callee: '201',
    phoneNumber: null,
    extensionNumber: '201',
    sipCallId: null,
    startedAt: '2025-03-10T10:00:00.000Z',
    answeredAt: null,
    endedAt: null,
    durationSeconds: n,
    talkSeconds: 0,
    hangupCause: null,
    schemePath: [],
    recordingIds: [],
  };
}

/** A fake GET /calls over `total` calls, `limit` a page, cursors "c<offset>". */
function fakeList(total: number) {
  const all = Array.from({ length: total }, (_, i) => call(i + 1));
  const asked: CallListQuery[] = [];
  const list = async (query: CallListQuery): Promise<Page<Call>> => {
    asked.push(query);
    const offset = query.cursor === undefined ? 0 : Number(query.cursor.slice(1));
    const end = offset + (query.limit ?? 50);
    return { items: all.slice(offset, end), nextCursor: end < total ? `c${end}` : null };
  };
  return { list, asked };
}

describe('loadMoreCalls', () => {
  it('takes one page when nothing is filtered here, passing the filter and cursor on', async () => {
    const { list, asked } = fakeList(25);
    const first = await loadMoreCalls(list, { direction: 'inbound' }, null, () => true, {
      want: 10,
      maxPages: 5,
    });
    expect(first.calls.map((c) => c.durationSeconds)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(first.nextCursor).toBe('c10');
    const last = await loadMoreCalls(list, { direction: 'inbound' }, 'c20', () => true, {
      want: 10,
      maxPages: 5,
    });
    expect(last.calls).toHaveLength(5);
    expect(last.nextCursor).toBeNull();
    expect(asked).toEqual([
      { direction: 'inbound', limit: 10 },
      { direction: 'inbound', limit: 10, cursor: 'c20' },
    ]);
  });

  it('reads on while too few calls pass the duration filter, within maxPages', async () => {
    const { list, asked } = fakeList(100);
    const longOnes = (c: Call) => c.durationSeconds > 35;
    const loaded = await loadMoreCalls(list, {}, null, longOnes, { want: 10, maxPages: 3 });
    // Pages 1–3 hold calls 1..30: none passes, so the click stops at the bound, cursor kept.
    expect(loaded.calls).toEqual([]);
    expect(loaded.nextCursor).toBe('c30');
    expect(asked).toHaveLength(3);
    const more = await loadMoreCalls(list, {}, 'c30', longOnes, { want: 10, maxPages: 3 });
    // 36..40 from the fourth page are too few; the fifth tops it up. Nothing is cut off:
    // the cursor is already past every call returned.
    expect(more.calls.map((c) => c.durationSeconds)).toEqual(
      Array.from({ length: 15 }, (_, i) => 36 + i),
    );
    expect(more.nextCursor).toBe('c50');
  });
});

describe('allCalls', () => {
  it('walks every page at the largest size and keeps what passes', async () => {
    const { list, asked } = fakeList(1201);
    const calls = await allCalls(list, { status: 'answered' }, (c) => c.durationSeconds % 2 === 0);
    expect(calls).toHaveLength(600);
    expect(asked.map((q) => q.cursor)).toEqual([undefined, 'c500', 'c1000']);
    expect(asked.every((q) => q.limit === 500 && q.status === 'answered')).toBe(true);
  });
});
