import { type SipEndpoint } from './transport.ts';

/**
 * Everything the transport layer reports through `onError` or rejects a send with. A
 * socket callback never throws: a malformed datagram, a refused connection or a dead
 * peer becomes one of these, with a code to branch on (never the message text).
 */
export const sipTransportErrorCatalogue = {
  malformed_message: 'A received message failed to parse (answered when it was a request)',
  connection_limit: 'The cap on concurrent connections was reached',
  handshake_failed: 'A TLS or WebSocket handshake failed or was refused',
  socket_error: 'A socket or connection failed',
  send_failed: 'A message could not be written to the network',
  bad_destination: 'The destination is not an IP address this transport can reach',
  not_listening: 'The transport is not listening (not started, or closed)',
} as const satisfies Record<string, string>;

export type SipTransportErrorCode = keyof typeof sipTransportErrorCatalogue;

export interface SipTransportErrorDetails {
  /** The peer involved, when known. */
  readonly peer?: SipEndpoint;
  /** The status of the error response sent back (400, 505, 513), if one was sent. */
  readonly answeredWith?: number;
  readonly cause?: unknown;
}

export class SipTransportError extends Error {
  override readonly name = 'SipTransportError';
  readonly peer: SipEndpoint | undefined;
  readonly answeredWith: number | undefined;

  constructor(
    readonly code: SipTransportErrorCode,
    message: string,
    details: SipTransportErrorDetails = {},
  ) {
    super(message, { cause: details.cause });
    this.peer = details.peer;
    this.answeredWith = details.answeredWith;
  }
}

export function isSipTransportError(error: unknown): error is SipTransportError {
  return error instanceof SipTransportError;
}
