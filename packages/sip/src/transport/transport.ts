import { type SipMessage } from '../message/index.ts';
import { type SipTransportError } from './transport-error.ts';

/**
 * The transport layer's contract (RFC 3261 §18): bytes in and out of sockets, framed and
 * parsed into messages. Above it the transaction layer sees only messages with their
 * source, and hands back messages with a destination. Five transports implement it:
 *
 *   - udp: UdpTransport, one datagram per message;
 *   - tcp, tls: TcpTransport and TlsTransport, one StreamTransport over a net or tls
 *     socket (Content-Length framing, CRLF keep-alives, RFC 5626 §3.5.1);
 *   - ws, wss: WsTransport, one message per WebSocket message (RFC 7118), inbound
 *     connections only — a browser is reached back only over the connection it opened.
 *
 * The names are the Via transport tokens in lower case (RFC 3261 §20.42, RFC 7118 §5.2).
 */
export type SipTransportProtocol = 'udp' | 'tcp' | 'tls' | 'ws' | 'wss';

/** Every protocol, for tables that must name them all. */
export const sipTransportProtocols = [
  'udp',
  'tcp',
  'tls',
  'ws',
  'wss',
] as const satisfies readonly SipTransportProtocol[];

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
  /**
   * TLS only: the name the peer's certificate must carry (RFC 5922 §7.3, the SIP domain
   * resolved to `address`); without it the certificate must name the IP address.
   */
  readonly serverName?: string;
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
