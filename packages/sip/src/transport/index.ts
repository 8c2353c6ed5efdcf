// The SIP transport layer (RFC 3261 §18, RFC 3581, RFC 5626 §3.5.1, RFC 7118): UDP, TCP,
// TLS and WebSocket (ws, wss).
export {
  bareAddress,
  type InboundSipMessage,
  type SipBindAddress,
  type SipDestination,
  type SipEndpoint,
  type SipTransport,
  type SipTransportHandlers,
  type SipTransportProtocol,
  sipTransportProtocols,
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
export {
  StreamTransport,
  type StreamProtocol,
  type StreamSocketFactory,
  type StreamTransportOptions,
} from './stream-transport.ts';
export { StreamConnection, type StreamConnectionState } from './stream-connection.ts';
export { TcpTransport, type TcpTransportOptions } from './tcp-transport.ts';
export { TlsTransport, type TlsCredentials, type TlsTransportOptions } from './tls-transport.ts';
export { WsTransport, type WsServerMode, type WsTransportOptions } from './ws-transport.ts';
export { WsConnection, type WsConnectionState } from './ws-connection.ts';
