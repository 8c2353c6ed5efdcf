import { describe, expect, it } from 'vitest';
import { emptyCallFilter } from './call-filter.ts';
import { loadSavedFilters, removeSavedFilter, saveFilter } from './saved-filters.ts';

function memoryStorage(initial: Record<string, string> = {}) {
  const items = new Map(Object.entries(initial));
  return {
    items,
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => void items.set(key, value),
  };
}

const missed = { ...emptyCallFilter, status: 'missed' as const };
const inbound = { ...emptyCallFilter, direction: 'inbound' as const, minDuration: 30 };

describe('saved filters', () => {
  it('saves, lists by name and reads back per user', () => {
    const storage = memoryStorage();
    saveFilter(storage, 'anna', 'Пропущенные', missed);
    saveFilter(storage, 'anna', 'Входящие > 30 с', inbound);
    saveFilter(storage, 'boris', 'mine', inbound);
    expect(loadSavedFilters(storage, 'anna')).toEqual([
      { name: 'Входящие > 30 с', filter: inbound },
      { name: 'Пропущенные', filter: missed },
    ]);
    expect(loadSavedFilters(storage, 'boris')).toEqual([{ name: 'mine', filter: inbound }]);
    expect(loadSavedFilters(storage, 'nobody')).toEqual([]);
    // Stored as the URL query form, the same as a bookmark.
    expect(JSON.parse(storage.items.get('provod.callFilters.boris') ?? '')).toEqual([
      { name: 'mine', query: { direction: 'inbound', minDuration: '30' } },
    ]);
  });

  it('replaces a filter saved under the same name, and removes by name', () => {
    const storage = memoryStorage();
    saveFilter(storage, 'anna', 'x', missed);
    expect(saveFilter(storage, 'anna', '  x ', inbound)).toEqual([{ name: 'x', filter: inbound }]);
    expect(removeSavedFilter(storage, 'anna', 'x')).toEqual([]);
    expect(loadSavedFilters(storage, 'anna')).toEqual([]);
  });

  it('refuses an empty name and more than fifty filters', () => {
    const storage = memoryStorage();
    expect(() => saveFilter(storage, 'anna', '   ', missed)).toThrow();
    for (let i = 0; i < 50; i += 1) saveFilter(storage, 'anna', `f${i}`, missed);
    expect(saveFilter(storage, 'anna', 'one more', missed)).toBe('too_many');
    expect(saveFilter(storage, 'anna', 'f7', inbound)).not.toBe('too_many');
  });

  it('starts afresh from a damaged or foreign value, and drops stale filter values', () => {
    for (const junk of ['{not json', '"a string"', '[{"name":""}]', '[{"query":{}}]']) {
      const storage = memoryStorage({ 'provod.callFilters.anna': junk });
      expect(loadSavedFilters(storage, 'anna')).toEqual([]);
    }
    const stale = memoryStorage({
      'provod.callFilters.anna': JSON.stringify([
        { name: 'old', query: { status: 'gone_status', direction: 'outbound' } },
      ]),
    });
    expect(loadSavedFilters(stale, 'anna')).toEqual([
      { name: 'old', filter: { ...emptyCallFilter, direction: 'outbound' } },
    ]);
  });
});
