/**
 * Why a Digest header value was refused. A malformed Authorization or Proxy-Authorization
 * value is the client's error: the request is answered 400 (RFC 3261 §21.4.1), never
 * logged and dropped, and the code says what was wrong without anyone reading the text.
 */
export type DigestErrorCode =
  /** The value breaks the auth-param grammar (RFC 3261 §25.1): bad token, open quote… */
  | 'malformed'
  /** The auth-scheme is not `Digest` (RFC 3261 §22.4 defines only Digest for SIP). */
  | 'unsupported_scheme'
  /** A parameter appears twice (RFC 7616 §3.4: each at most once). */
  | 'duplicate_parameter'
  /** A mandatory parameter is absent (RFC 7616 §3.4, RFC 3261 §22.4). */
  | 'missing_parameter'
  /** A parameter is present but its value does not fit (nc not 8 hex digits, …). */
  | 'invalid_parameter'
  /** A value cannot be written into a header (CR, LF or another control character). */
  | 'unencodable_value';

export class DigestError extends Error {
  override readonly name = 'DigestError';
  /** RFC 3261 §21.4.1: a request we cannot understand is a 400 Bad Request. */
  readonly status = 400;
  constructor(
    readonly code: DigestErrorCode,
    message: string,
    /** The parameter at fault (lower-case name), when there is one. */
    readonly parameter?: string,
    /** The character offset in the header value where parsing stopped, for `malformed`. */
    readonly offset?: number,
  ) {
    super(message);
  }
}

export function isDigestError(error: unknown): error is DigestError {
  return error instanceof DigestError;
}
