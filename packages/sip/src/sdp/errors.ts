/**
 * Typed SDP failures. Callers branch on `reason` (never on the message text): a parse
 * error in an offer becomes 400 Bad Request or 488, a negotiation error 488 Not Acceptable
 * Here (RFC 3261 §13.3.1.1, RFC 3264 §6).
 */

export type SdpParseErrorReason =
  | 'empty'
  | 'missing_version'
  | 'unsupported_version'
  | 'line_without_equals'
  | 'unknown_line_type'
  | 'misplaced_line'
  | 'duplicate_line'
  | 'missing_line'
  | 'malformed_origin'
  | 'malformed_connection'
  | 'malformed_bandwidth'
  | 'malformed_timing'
  | 'malformed_media'
  | 'malformed_attribute';

export class SdpParseError extends Error {
  override readonly name = 'SdpParseError';
  constructor(
    readonly reason: SdpParseErrorReason,
    /** 1-based line number the problem was found on. */
    readonly line: number,
    message: string,
  ) {
    super(`SDP line ${line}: ${message}`);
  }
}

export type SdpNegotiationErrorReason =
  /** No offered stream shares a codec with us (RFC 3264 §6: answer 488). */
  | 'no_common_codec'
  /** An answer accepted no stream of our offer, or named codecs we never offered. */
  | 'answer_not_acceptable'
  /** We were asked to offer a stream with no codec in it. */
  | 'no_local_codecs';

export class SdpNegotiationError extends Error {
  override readonly name = 'SdpNegotiationError';
  /** RFC 3261 §21.4.26: 488 Not Acceptable Here — the status a UAS answers with. */
  readonly status = 488;
  constructor(
    readonly reason: SdpNegotiationErrorReason,
    message: string,
  ) {
    super(message);
  }
}
