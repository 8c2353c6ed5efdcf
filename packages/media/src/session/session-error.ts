/**
 * What an RTP session rejects or reports through `onError`. A socket callback never
 * throws: a malformed datagram, a refused send or a failed bind becomes one of these,
 * with a code to branch on (never the message text).
 */
export const rtpSessionErrorCatalogue = {
  bad_port_range: 'The configured RTP port range holds no even port with its RTCP port',
  ports_exhausted: 'Every RTP port pair in the range is in use',
  bind_failed: 'A UDP socket could not be bound',
  not_open: 'The session is closed',
  no_remote: 'No remote address is known yet to send to',
  malformed_packet: 'A received RTP or RTCP datagram failed to parse',
  send_failed: 'A datagram could not be sent',
  socket_error: 'A UDP socket failed',
} as const satisfies Record<string, string>;

export type RtpSessionErrorCode = keyof typeof rtpSessionErrorCatalogue;

export class RtpSessionError extends Error {
  override readonly name = 'RtpSessionError';
  constructor(
    readonly code: RtpSessionErrorCode,
    message: string,
    options: { readonly cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
  }
}

export function isRtpSessionError(error: unknown): error is RtpSessionError {
  return error instanceof RtpSessionError;
}
