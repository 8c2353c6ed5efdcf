import { describe, expect, it } from 'vitest';
import {
  apiQueryFromFilter,
  callFilterSchema,
  emptyCallFilter,
  filterFromQuery,
  matchesDuration,
  queryFromFilter,
  type CallFilter,
} from './call-filter.ts';

const full: CallFilter = {
  dateFrom: '2025-03-01',
  dateTo: '2025-03-10',
  direction: 'inbound',
  status: 'missed',
  number: '+7 (495) 123',
  extension: '201',
  minDuration: 10,
  maxDuration: 300,
};

describe('filter ↔ URL query', () => {
  it('writes only what is set, and reads it back the same', () => {
    const query = queryFromFilter(full);
    expect(query).toEqual({
      dateFrom: '2025-03-01',
      dateTo: '2025-03-10',
      direction: 'inbound',
      status: 'missed',
      number: '+7 (495) 123',
      extension: '201',
      minDuration: '10',
      maxDuration: '300',
    });
    expect(filterFromQuery(query)).toEqual(full);
    expect(queryFromFilter(emptyCallFilter)).toEqual({});
    expect(filterFromQuery({})).toEqual(emptyCallFilter);
  });

  it('keeps a zero duration (a set value, not an empty one)', () => {
    const filter = { ...emptyCallFilter, minDuration: 0 };
    expect(queryFromFilter(filter)).toEqual({ minDuration: '0' });
    expect(filterFromQuery({ minDuration: '0' })).toEqual(filter);
  });

  it('drops each bad value on its own and keeps the rest', () => {
    expect(
      filterFromQuery({
        direction: 'sideways',
        status: 'answered',
        dateFrom: '2025-02-30',
        extension: '2',
        number: 'abc',
        minDuration: '-5',
        maxDuration: '12.5',
      }),
    ).toEqual({ ...emptyCallFilter, status: 'answered' });
  });

  it('takes the first of a repeated parameter and ignores null ones', () => {
    expect(filterFromQuery({ direction: ['outbound', 'inbound'], status: null })).toEqual({
      ...emptyCallFilter,
      direction: 'outbound',
    });
  });

  it('drops the end of a range that ends before it starts', () => {
    expect(
      filterFromQuery({
        dateFrom: '2025-03-10',
        dateTo: '2025-03-01',
        minDuration: '60',
        maxDuration: '30',
      }),
    ).toEqual({ ...emptyCallFilter, dateFrom: '2025-03-10', minDuration: 60 });
  });
});

describe('callFilterSchema', () => {
  it('names the field of a contradictory range', () => {
    const parsed = callFilterSchema.safeParse({ ...full, dateTo: '2025-02-01', maxDuration: 1 });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((issue) => issue.path.join('.')).sort()).toEqual([
      'dateTo',
      'maxDuration',
    ]);
  });
});

describe('apiQueryFromFilter', () => {
  it("turns calendar days into the tenant's midnights, the last day included", () => {
    expect(apiQueryFromFilter(full, 'Europe/Moscow')).toEqual({
      from: '2025-02-28T21:00:00.000Z',
      to: '2025-03-10T21:00:00.000Z',
      direction: 'inbound',
      status: 'missed',
      number: '+7 (495) 123',
      extension: '201',
    });
  });

  it('sends nothing for an empty filter; durations never go to the API', () => {
    expect(apiQueryFromFilter(emptyCallFilter, 'UTC')).toEqual({});
    expect(apiQueryFromFilter({ ...emptyCallFilter, minDuration: 5 }, 'UTC')).toEqual({});
  });
});

describe('matchesDuration', () => {
  it('includes both ends of the range', () => {
    const filter = { ...emptyCallFilter, minDuration: 10, maxDuration: 20 };
    expect([9, 10, 15, 20, 21].map((s) => matchesDuration({ durationSeconds: s }, filter))).toEqual(
      [false, true, true, true, false],
    );
    expect(matchesDuration({ durationSeconds: 0 }, emptyCallFilter)).toBe(true);
  });
});
