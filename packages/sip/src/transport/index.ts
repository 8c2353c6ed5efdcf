// The SIP transport layer (RFC 3261 §18, RFC 3581, RFC 5626 §3.5.1): UDP and TCP.
export {
  bareAddress,
  type InboundSipMessage,
  type SipBindAddress,
  type SipDestination,
  type SipEndpoint,
  type SipTransport,
  type SipTransportHandlers,
  type SipTransportProtocol,
} from './transport.ts';
export {
  SipTransportError,
  isSipTransportError,
  sipTransportErrorCatalogue,
  type SipTransportErrorCode,
  type SipTransportErrorDetails,
} from './transport-error.ts';
export {
  responseDestination,
  stampReceivedRequest,
  stampTopVia,
  viaDestination,
} from './via-routing.ts';
export { buildErrorResponse, type ErrorResponseInput } from './error-response.ts';
export { UdpTransport, type UdpTransportOptions } from './udp-transport.ts';
export { TcpTransport, type TcpTransportOptions } from './tcp-transport.ts';
export { TcpConnection, type TcpConnectionState } from './tcp-connection.ts';
