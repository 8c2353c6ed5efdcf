/**
 * Which final status the caller hears when every contact of the callee failed — after
 * RFC 3261 §16.7 step 6, as a forking proxy chooses: a 6xx ends the search; otherwise
 * the lowest class wins, and within 4xx the most telling: busy (486, 600-like for a
 * phone) over "unavailable" (480) over anything else; 408 and 503 from dead contacts
 * mean nobody could be reached, which the caller hears as 480.
 */
export function chooseFailure(statuses: readonly number[]): number {
  const global = statuses.find((status) => status >= 600);
  if (global !== undefined) return global;
  if (statuses.includes(486)) return 486;
  const reachable = statuses.filter((status) => status !== 408 && status !== 503);
  if (reachable.length === 0) return 480;
  const lowestClass = Math.min(...reachable.map((status) => Math.floor(status / 100)));
  const inClass = reachable.filter((status) => Math.floor(status / 100) === lowestClass);
  if (inClass.includes(480)) return 480;
  // §16.7: a 5xx from a phone is its own trouble, not the caller's; say unavailable.
  if (lowestClass === 5) return 480;
  return Math.min(...inClass);
}
