import { connect, createServer, type TLSSocket } from 'node:tls';
import {
  StreamTransport,
  type StreamSocketFactory,
  type StreamTransportOptions,
} from './stream-transport.ts';

/**
 * SIP over TLS (RFC 3261 §18, §26.2.1; Via transport "TLS"): the stream transport over
 * `node:tls` sockets — framing, keep-alives, connection reuse and limits as for TCP.
 * Outbound connections verify the peer's certificate against `ca` (Node's bundled roots
 * when absent) and the destination: its `serverName` when given (RFC 5922 §7: the SIP
 * domain the certificate must name), else its IP address. The same key and certificate
 * are offered as the client certificate, for peers that ask for mutual TLS (§26.2.1).
 */
export interface TlsCredentials {
  /** PEM private key. */
  readonly key: string | Buffer;
  /** PEM certificate chain. */
  readonly cert: string | Buffer;
  /** PEM CA certificates trusted to verify peers; Node's bundled roots when absent. */
  readonly ca?: string | Buffer | readonly (string | Buffer)[];
}

export interface TlsTransportOptions extends StreamTransportOptions, TlsCredentials {
  /** Outbound: refuse a peer whose certificate does not verify. Default true. */
  readonly rejectUnauthorized?: boolean;
}

/** The credentials as node:tls and node:https take them. */
export function tlsContextOptions(credentials: TlsCredentials): {
  key: string | Buffer;
  cert: string | Buffer;
  ca?: string | Buffer | (string | Buffer)[];
} {
  const { key, cert, ca } = credentials;
  if (ca === undefined) return { key, cert };
  return { key, cert, ca: typeof ca === 'string' || Buffer.isBuffer(ca) ? ca : [...ca] };
}

function tlsSockets(options: TlsTransportOptions): StreamSocketFactory {
  const context = tlsContextOptions(options);
  return {
    protocol: 'tls',
    readyEvent: 'secureConnect',
    createServer: (onSocket, onRefused) => {
      const server = createServer(context, onSocket);
      // A client that fails the handshake (or speaks plain TCP to this port) never
      // becomes a SIP connection; without this listener Node would drop it silently.
      server.on('tlsClientError', (error: Error, socket: TLSSocket) => onRefused(error, socket));
      return server;
    },
    connect: (destination) =>
      connect({
        host: destination.address,
        port: destination.port,
        ...context,
        ...(destination.serverName === undefined ? {} : { servername: destination.serverName }),
        rejectUnauthorized: options.rejectUnauthorized ?? true,
      }),
  };
}

export class TlsTransport extends StreamTransport {
  declare readonly protocol: 'tls';

  constructor(options: TlsTransportOptions) {
    super(options, tlsSockets(options));
  }
}
