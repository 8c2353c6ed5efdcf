/** Time comes in as a parameter so tests control it (STYLE rule 5). */
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();

export function isoNow(clock: Clock): string {
  return clock().toISOString();
}
