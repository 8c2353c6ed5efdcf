import type {
  SipDestination,
  SipMessage,
  SipRequest,
  SipTransportProtocol,
  TransactionTimers,
  TransactionUser,
} from '@provod/sip';

/**
 * What call control needs from the SIP stack under it, as plain functions: the server
 * wires them to its transports and transaction manager, tests to a fake network. Call
 * control never sees a socket.
 */
export interface SipNetwork {
  /** Starts a client transaction for the request and sends it to the destination. */
  sendRequest(request: SipRequest, destination: SipDestination, user: TransactionUser): void;
  /**
   * Sends a message outside any transaction: the ACK for a 2xx (RFC 3261 §13.2.2.4) and
   * the retransmissions of a 2xx to an INVITE (§13.3.1.4).
   */
  sendStateless(message: SipMessage, destination: SipDestination): void;
  /** This node's Via for a request leaving on the transport, with a fresh branch. */
  via(transport: SipTransportProtocol): string;
  /** This node's Contact URI on the transport, for dialogs it takes part in. */
  contactUri(transport: SipTransportProtocol): string;
  readonly timers: TransactionTimers;
  /** T1 and T2 of RFC 3261 §17, for the retransmission of 2xx responses. */
  readonly t1: number;
  readonly t2: number;
}
