/**
 * The one error the message layer throws. Every parse failure carries a code (what went
 * wrong, for logs and tests) and the SIP status a server answers a request with
 * (RFC 3261 §21.4.1: 400 for a malformed request; §21.5.6: 505 for a version we do not
 * speak; §21.5.14: 513 for an over-large message). Responses that fail to parse are
 * dropped by the transport (RFC 3261 §18.1.2), never answered, so the status is advisory
 * there. Callers branch on `code`, never on `message`.
 */
export const sipParseErrorCatalogue = {
  bad_start_line: { status: 400, summary: 'The Request-Line or Status-Line is malformed' },
  bad_version: { status: 505, summary: 'The SIP-Version is not SIP/2.0' },
  bad_header: { status: 400, summary: 'A header field is malformed' },
  missing_header: { status: 400, summary: 'A mandatory header field is absent' },
  bad_uri: { status: 400, summary: 'A URI is malformed' },
  bad_content_length: {
    status: 400,
    summary: 'Content-Length is absent on a stream, malformed, or larger than the body',
  },
  bad_encoding: { status: 400, summary: 'The header section is not valid UTF-8' },
  too_large: { status: 513, summary: 'The message exceeds the size limit' },
} as const satisfies Record<string, { status: number; summary: string }>;

export type SipParseErrorCode = keyof typeof sipParseErrorCatalogue;

export class SipParseError extends Error {
  override readonly name = 'SipParseError';
  readonly status: number;

  constructor(
    readonly code: SipParseErrorCode,
    message: string,
    status?: number,
  ) {
    super(message);
    this.status = status ?? sipParseErrorCatalogue[code].status;
  }
}

export function isSipParseError(error: unknown): error is SipParseError {
  return error instanceof SipParseError;
}
