import { isIP, isIPv4 } from 'node:net';
import {
  isSipParseError,
  parseVia,
  type SipMessage,
  type SipParseError,
} from '../message/index.ts';
import { buildErrorResponse } from './error-response.ts';
import { SipTransportError, isSipTransportError } from './transport-error.ts';
import { type InboundSipMessage, type SipEndpoint } from './transport.ts';
import { stampReceivedRequest, viaDestination } from './via-routing.ts';

/**
 * What every transport does with a received message once it has one, whatever the
 * framing: stamp a request's top Via with its real source (RFC 3261 §18.2.1, RFC 3581 §4)
 * — responses pass as they are (§18.1.2) — or, when the bytes did not parse, build the
 * error answer and the report.
 */
export function acceptMessage(
  message: SipMessage,
  source: SipEndpoint,
  connectionId?: string,
): InboundSipMessage {
  const stamped = message.kind === 'request' ? stampReceivedRequest(message, source) : message;
  return connectionId === undefined
    ? { message: stamped, source }
    : { message: stamped, source, connectionId };
}

export interface Rejection {
  /** The 400/505/513 to send back, when the bytes allow one. */
  readonly reply: Buffer | undefined;
  /**
   * Where a datagram transport sends it: by the stamped top Via like any response
   * (RFC 3261 §18.2.2, RFC 3581 §4), or to the source when that Via does not parse.
   * A stream transport answers on the connection instead.
   */
  readonly replyTo: SipEndpoint;
  readonly error: SipTransportError;
}

/**
 * A malformed request is answered when enough of it could be read (§21.4.1, §21.5.14);
 * a malformed response is only dropped (§18.1.2). Either way it is reported.
 */
export function rejectMessage(bytes: Buffer, cause: SipParseError, source: SipEndpoint): Rejection {
  const reply = buildErrorResponse({ bytes, error: cause, source });
  const answered = reply === undefined ? 'dropped' : `answered ${cause.status}`;
  const error = new SipTransportError(
    'malformed_message',
    `${source.transport} message from ${source.address}:${source.port} ${answered}: ${cause.message}`,
    reply === undefined
      ? { peer: source, cause }
      : { peer: source, cause, answeredWith: cause.status },
  );
  return { reply, error, replyTo: reply === undefined ? source : replyDestination(reply, source) };
}

function replyDestination(reply: Buffer, source: SipEndpoint): SipEndpoint {
  // The reply carries the request's broken headers, so only its top Via is read back.
  const topVia = /\r\nVia: ([^\r]*)\r\n/.exec(reply.toString('utf8'))?.[1];
  if (topVia === undefined) return source;
  try {
    const { address, port } = viaDestination(parseVia(topVia));
    return isIP(address) === 0 ? source : { transport: source.transport, address, port };
  } catch (error) {
    if (isSipParseError(error) || isSipTransportError(error)) return source;
    throw error;
  }
}

/** A dual-stack socket reports IPv4 peers as `::ffff:a.b.c.d`; Via speaks plain IPv4. */
export function normalizeAddress(address: string): string {
  const mapped = /^::ffff:(.+)$/i.exec(address)?.[1];
  return mapped !== undefined && isIPv4(mapped) ? mapped : address;
}
