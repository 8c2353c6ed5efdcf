/** DTMF input that cannot be used; callers branch on `code`, never on the message text. */
export const dtmfErrorCatalogue = {
  truncated_payload: 'A telephone-event payload is shorter than its 4 bytes',
  invalid_field: 'A telephone-event field is out of its range',
  unknown_digit: 'A value does not name a DTMF key (0-9, *, #, A-D)',
  malformed_body: 'A SIP INFO DTMF body does not follow its format',
  unsupported_content_type: 'A SIP INFO body type that carries no DTMF we understand',
} as const satisfies Record<string, string>;

export type DtmfErrorCode = keyof typeof dtmfErrorCatalogue;

export class DtmfError extends Error {
  override readonly name = 'DtmfError';
  constructor(
    readonly code: DtmfErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export function isDtmfError(error: unknown): error is DtmfError {
  return error instanceof DtmfError;
}
