import type { Call, Page } from '@provod/contracts';
import type { CallListQuery } from '../api/provod-api.ts';

export type ListCalls = (query: CallListQuery) => Promise<Page<Call>>;

export interface LoadedCalls {
  calls: Call[];
  /** Where "load more" goes on; null once the API has no more pages. */
  nextCursor: string | null;
}

/**
 * One "load more": the API's next pages (keyset cursor, docs/call-log.md) until `want`
 * calls pass `keep` or the pages run out. `keep` is what the API cannot filter (duration);
 * without it the first page is the answer. `maxPages` bounds one click when few calls pass.
 */
export async function loadMoreCalls(
  list: ListCalls,
  query: CallListQuery,
  cursor: string | null,
  keep: (call: Call) => boolean,
  options: { want: number; maxPages: number },
): Promise<LoadedCalls> {
  const calls: Call[] = [];
  let next = cursor;
  for (let pages = 0; pages < options.maxPages; pages += 1) {
    const page = await list({
      ...query,
      limit: options.want,
      ...(next !== null && { cursor: next }),
    });
    calls.push(...page.items.filter(keep));
    next = page.nextCursor;
    if (next === null || calls.length >= options.want) break;
  }
  return { calls, nextCursor: next };
}

/** Every call the filter matches, all pages at the API's largest page size (for export). */
export async function allCalls(
  list: ListCalls,
  query: CallListQuery,
  keep: (call: Call) => boolean,
): Promise<Call[]> {
  const calls: Call[] = [];
  let cursor: string | null = null;
  do {
    const page: Page<Call> = await list({
      ...query,
      limit: 500,
      ...(cursor !== null && { cursor }),
    });
    calls.push(...page.items.filter(keep));
    cursor = page.nextCursor;
  } while (cursor !== null);
  return calls;
}
