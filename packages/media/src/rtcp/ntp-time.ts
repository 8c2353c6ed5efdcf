/**
 * NTP timestamps as RTCP carries them, RFC 3550 §4: seconds since 1 January 1900 (32
 * bits) and a binary fraction (32 bits). LSR in a report block is the middle 32 bits
 * (§6.4.1), a 16.16 fixed-point number of seconds, as are DLSR and the round-trip time.
 */
export interface NtpTimestamp {
  readonly seconds: number;
  readonly fraction: number;
}

/** Seconds between the NTP epoch (1900) and the Unix epoch (1970), RFC 868. */
const NTP_UNIX_OFFSET = 2_208_988_800;
const TWO_32 = 0x1_0000_0000;

export function ntpFromUnixMs(unixMs: number): NtpTimestamp {
  const seconds = Math.floor(unixMs / 1000);
  const fraction = Math.floor(((unixMs - seconds * 1000) / 1000) * TWO_32);
  // The 32-bit seconds field wraps in 2036 (era 1); modulo keeps it in its field.
  return { seconds: (seconds + NTP_UNIX_OFFSET) % TWO_32, fraction };
}

/** The middle 32 bits: low 16 of the seconds, high 16 of the fraction. */
export function ntpMiddle32(timestamp: NtpTimestamp): number {
  return (((timestamp.seconds & 0xffff) << 16) | (timestamp.fraction >>> 16)) >>> 0;
}

/**
 * Round-trip time from a report block about our stream, §6.4.1: arrival time A of the
 * report, minus the LSR it echoes, minus the DLSR the receiver held it, all in 1/65536 s.
 * Null when the receiver has not yet had an SR from us (LSR 0) or the result is negative
 * (clocks or a forged block).
 */
export function roundTripMs(
  arrivalMiddle32: number,
  lastSenderReport: number,
  delaySinceLastSenderReport: number,
): number | null {
  if (lastSenderReport === 0) return null;
  // Modulo 2^32: the middle 32 bits wrap every 65536 s (about 18 hours).
  const difference = arrivalMiddle32 - lastSenderReport - delaySinceLastSenderReport;
  const units = ((difference % TWO_32) + TWO_32) % TWO_32;
  // A wrapped negative shows as a huge value; more than an hour is not a round trip.
  if (units > 3600 * 65536) return null;
  return (units * 1000) / 65536;
}
