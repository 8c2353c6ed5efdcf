import { type SipMessage } from '../message/index.ts';
import { type SipTransportError } from './transport-error.ts';

/**
 * The transport layer's contract (RFC 3261 §18): bytes in and out of sockets, framed and
 * parsed into messages. Above it the transaction layer sees only messages with their
 * source, and hands back messages with a destination. UDP and TCP implement it now; TLS
 * and WebSocket (RFC 7118) fit the same shape — a stream transport with a different
 * socket underneath — by adding their names to `SipTransportProtocol`.
 */
export type SipTransportProtocol = 'udp' | 'tcp';

/** Where a message came from or goes to. The address is an IP literal (no brackets). */
export interface SipEndpoint {
  readonly transport: SipTransportProtocol;
  readonly address: string;
  readonly port: number;
}

/**
 * A destination may name the connection a request arrived on, so its response goes back
 * on it (RFC 3261 §18.2.2); a stream transport falls back to any connection to the same
 * address and port, then opens one.
 */
export interface SipDestination extends SipEndpoint {
  readonly connectionId?: string;
}

export interface InboundSipMessage {
  readonly message: SipMessage;
  readonly source: SipEndpoint;
  /** Set by connection-oriented transports. */
  readonly connectionId?: string;
}

/** What a transport reports upward; it never throws out of a socket callback. */
export interface SipTransportHandlers {
  readonly onMessage: (inbound: InboundSipMessage) => void;
  readonly onError: (error: SipTransportError) => void;
}

/** A local address to bind; port 0 asks the OS for an ephemeral one (tests). */
export interface SipBindAddress {
  readonly address: string;
  readonly port: number;
}

export interface SipTransport {
  readonly protocol: SipTransportProtocol;
  /** Binds every configured address; resolves with the addresses actually bound. */
  listen(): Promise<readonly SipEndpoint[]>;
  /** Closes the sockets and every connection; inbound delivery stops. */
  close(): Promise<void>;
  /** Rejects with a SipTransportError when the message cannot be sent. */
  send(message: SipMessage, destination: SipDestination): Promise<void>;
}

/** `received` compares against the bare address; Via writes IPv6 hosts in brackets. */
export function bareAddress(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}
