import { DtmfError } from './dtmf-error.ts';

/** The 16 keys of a DTMF keypad (ITU-T Q.23), A–D included, in RFC 4733 event-code order. */
// prettier-ignore
export const DTMF_DIGITS = [
  '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '#', 'A', 'B', 'C', 'D',
] as const;
export type DtmfDigit = (typeof DTMF_DIGITS)[number];

/** RFC 4733 §3.2 Table 7: event 16 is a hook flash, not a key. */
export const TELEPHONE_EVENT_FLASH = 16;

export function isDtmfDigit(value: string): value is DtmfDigit {
  return (DTMF_DIGITS as readonly string[]).includes(value);
}

/** RFC 4733 §3.2 Table 7: 0–9 → 0–9, * → 10, # → 11, A–D → 12–15. */
export function digitToEventCode(digit: DtmfDigit): number {
  return DTMF_DIGITS.indexOf(digit);
}

/** The key of an RFC 4733 event code, or undefined for non-DTMF events (flash and above). */
export function eventCodeToDigit(event: number): DtmfDigit | undefined {
  return Number.isInteger(event) ? DTMF_DIGITS[event] : undefined;
}

/** A key as people and SIP INFO bodies write it: case-insensitive A–D. */
export function parseDtmfDigit(text: string): DtmfDigit {
  const digit = text.trim().toUpperCase();
  if (!isDtmfDigit(digit)) throw new DtmfError('unknown_digit', `"${text}" is not a DTMF key`);
  return digit;
}
