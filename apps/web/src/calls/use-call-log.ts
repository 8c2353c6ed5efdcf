import type { Call } from '@provod/contracts';
import { ref } from 'vue';
import type { ProvodApi } from '../api/provod-api.ts';
import { apiQueryFromFilter, matchesDuration, type CallFilter } from './call-filter.ts';
import { allCalls, loadMoreCalls } from './call-pages.ts';

/** The rows on screen and where the list goes on. */
export type CallListing =
  | { kind: 'loading' }
  | { kind: 'ready'; calls: Call[]; nextCursor: string | null; more: 'idle' | 'loading' }
  | { kind: 'failed' };

const pageSize = 50;
/** One "load more" reads at most this many pages while the duration filter drops rows. */
const maxPagesPerClick = 10;

/**
 * The call log's list for one filter. A newer load wins: an answer for a filter the page
 * has already left is dropped, so fast clicking never shows another filter's rows.
 */
export function useCallLog(api: ProvodApi, onError: (error: unknown) => void) {
  const listing = ref<CallListing>({ kind: 'loading' });
  let generation = 0;
  let current: { filter: CallFilter; timeZone: string } | null = null;

  async function load(filter: CallFilter, timeZone: string): Promise<void> {
    const mine = (generation += 1);
    current = { filter, timeZone };
    listing.value = { kind: 'loading' };
    try {
      const page = await loadMoreCalls(
        (query) => api.calls.list(query),
        apiQueryFromFilter(filter, timeZone),
        null,
        (call) => matchesDuration(call, filter),
        { want: pageSize, maxPages: maxPagesPerClick },
      );
      if (mine === generation) listing.value = { kind: 'ready', ...page, more: 'idle' };
    } catch (error) {
      if (mine !== generation) return;
      listing.value = { kind: 'failed' };
      onError(error);
    }
  }

  async function loadMore(): Promise<void> {
    const shown = listing.value;
    if (shown.kind !== 'ready' || shown.nextCursor === null || current === null) return;
    const { filter, timeZone } = current;
    const mine = generation;
    listing.value = { ...shown, more: 'loading' };
    try {
      const page = await loadMoreCalls(
        (query) => api.calls.list(query),
        apiQueryFromFilter(filter, timeZone),
        shown.nextCursor,
        (call) => matchesDuration(call, filter),
        { want: pageSize, maxPages: maxPagesPerClick },
      );
      if (mine !== generation) return;
      listing.value = {
        kind: 'ready',
        calls: [...shown.calls, ...page.calls],
        nextCursor: page.nextCursor,
        more: 'idle',
      };
    } catch (error) {
      if (mine !== generation) return;
      listing.value = { ...shown, more: 'idle' };
      onError(error);
    }
  }

  /** Every call of the current filter, for the CSV file (not only the rows on screen). */
  function everyCall(): Promise<Call[]> {
    if (current === null) return Promise.resolve([]);
    const { filter, timeZone } = current;
    return allCalls(
      (query) => api.calls.list(query),
      apiQueryFromFilter(filter, timeZone),
      (call) => matchesDuration(call, filter),
    );
  }

  return { listing, load, loadMore, everyCall };
}
