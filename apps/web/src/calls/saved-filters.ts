import { z } from 'zod';
import { filterFromQuery, queryFromFilter, type CallFilter } from './call-filter.ts';

/**
 * Named call-log filters of one person, kept in this browser's localStorage (the API has no
 * place for them yet), under a key per user so two people sharing a browser keep their own.
 * A filter is stored as its URL query — the same form a bookmark has — and read back
 * through filterFromQuery, so one written under older rules still opens.
 */
export interface SavedFilter {
  name: string;
  filter: CallFilter;
}

export const savedFilterNameSchema = z.string().trim().min(1).max(60);
const maxSavedFilters = 50;

const storedSchema = z.array(
  z.object({ name: savedFilterNameSchema, query: z.record(z.string(), z.string()) }),
);

export type FilterStorage = Pick<Storage, 'getItem' | 'setItem'>;

const storageKey = (userId: string) => `provod.callFilters.${userId}`;

export function loadSavedFilters(storage: FilterStorage, userId: string): SavedFilter[] {
  const text = storage.getItem(storageKey(userId));
  if (text === null) return [];
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    // Someone else's or a damaged value under our key: start afresh rather than break the page.
    if (error instanceof SyntaxError) return [];
    throw error;
  }
  const stored = storedSchema.safeParse(json);
  if (!stored.success) return [];
  return stored.data.map(({ name, query }) => ({ name, filter: filterFromQuery(query) }));
}

function store(storage: FilterStorage, userId: string, filters: SavedFilter[]): SavedFilter[] {
  const stored = filters.map(({ name, filter }) => ({ name, query: queryFromFilter(filter) }));
  storage.setItem(storageKey(userId), JSON.stringify(stored));
  return filters;
}

/**
 * Saves under a name; the same name again replaces that filter in its place. Sorted by name
 * for the list; the oldest are not evicted — past the limit, saving is refused.
 */
export function saveFilter(
  storage: FilterStorage,
  userId: string,
  name: string,
  filter: CallFilter,
): SavedFilter[] | 'too_many' {
  const trimmed = savedFilterNameSchema.parse(name);
  const filters = loadSavedFilters(storage, userId);
  const index = filters.findIndex((saved) => saved.name === trimmed);
  if (index >= 0) filters[index] = { name: trimmed, filter };
  else if (filters.length >= maxSavedFilters) return 'too_many';
  else filters.push({ name: trimmed, filter });
  filters.sort((a, b) => a.name.localeCompare(b.name));
  return store(storage, userId, filters);
}

export function removeSavedFilter(
  storage: FilterStorage,
  userId: string,
  name: string,
): SavedFilter[] {
  const filters = loadSavedFilters(storage, userId).filter((saved) => saved.name !== name);
  return store(storage, userId, filters);
}
