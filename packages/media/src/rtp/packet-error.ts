/**
 * The one error the RTP and RTCP packet parsers and serializers throw. A datagram off the
 * wire is untrusted: every way it can be short or malformed is a code here, so a socket
 * handler counts and reports it instead of crashing. Callers branch on `code`, never on
 * the message text.
 */
export const mediaPacketErrorCatalogue = {
  truncated: 'The datagram ends before a field its header announces',
  bad_version: 'The version field is not 2 (RFC 3550 §5.1, §6.4.1)',
  bad_padding: 'The padding count is zero or larger than the packet (RFC 3550 §5.1)',
  bad_length: 'An RTCP length field disagrees with the bytes present (RFC 3550 §6.4.1)',
  bad_compound: 'An RTCP compound packet breaks the rules of RFC 3550 §6.1 / Appendix A.2',
  bad_item: 'An SDES item or BYE reason is malformed (RFC 3550 §6.5, §6.6)',
  bad_field: 'A value to serialize does not fit its field',
} as const satisfies Record<string, string>;

export type MediaPacketErrorCode = keyof typeof mediaPacketErrorCatalogue;

export class MediaPacketError extends Error {
  override readonly name = 'MediaPacketError';
  constructor(
    readonly code: MediaPacketErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export function isMediaPacketError(error: unknown): error is MediaPacketError {
  return error instanceof MediaPacketError;
}

/** Throws `truncated` unless `bytes` holds `needed` octets; `what` names the field. */
export function requireLength(bytes: Uint8Array, needed: number, what: string): void {
  if (bytes.length < needed) {
    throw new MediaPacketError(
      'truncated',
      `${what}: needs ${needed} bytes, the packet has ${bytes.length}`,
    );
  }
}

/** Throws `bad_field` unless `value` is an integer in [0, max]. */
export function requireUint(value: number, max: number, what: string): void {
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new MediaPacketError('bad_field', `${what} ${value} is not an integer in 0..${max}`);
  }
}
