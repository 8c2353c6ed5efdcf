import { isIP, type Server, type Socket } from 'node:net';
import { serializeMessage, type SipMessage } from '../message/index.ts';
import { normalizeAddress } from './inbound.ts';
import { StreamConnection } from './stream-connection.ts';
import { ConnectionTable, peerKey } from './connection-table.ts';
import { SipTransportError } from './transport-error.ts';
import {
  type SipBindAddress,
  type SipDestination,
  type SipEndpoint,
  type SipTransport,
  type SipTransportHandlers,
} from './transport.ts';

/**
 * SIP over a byte stream (RFC 3261 §18), TCP or TLS: a listener plus the connections both
 * ways. Connections are reused — a response goes back on the connection its request came
 * in on (§18.2.2), and a message for an address goes on an open connection to it before a
 * new one is opened (§18.1.1) — so a client behind NAT stays reachable on the connection
 * it opened (the basis of RFC 5626 outbound). Quiet connections are closed after the idle
 * timeout, and the number of connections, both ways together, is capped.
 *
 * What differs between TCP and TLS is only how sockets are made: a `StreamSocketFactory`.
 */
export interface StreamTransportOptions extends SipTransportHandlers {
  readonly bind: SipBindAddress;
  /** Per-message limit on the stream (RFC 3261 §21.5.14). */
  readonly maxMessageSize?: number;
  /** Inbound and outbound together; new ones beyond it are refused. */
  readonly maxConnections?: number;
  readonly idleTimeoutMs?: number;
  /** For TLS this covers the handshake as well. */
  readonly connectTimeoutMs?: number;
}

export type StreamProtocol = 'tcp' | 'tls';

export interface StreamSocketFactory {
  readonly protocol: StreamProtocol;
  /**
   * A listener that hands over each inbound socket once it can carry SIP (for TLS, after
   * the handshake); a connection that never got there is passed to `onRefused`.
   */
  createServer(
    onSocket: (socket: Socket) => void,
    onRefused: (cause: unknown, socket: Socket) => void,
  ): Server;
  /** Starts an outbound socket; it emits `readyEvent` when it can carry SIP. */
  connect(destination: SipDestination): Socket;
  readonly readyEvent: 'connect' | 'secureConnect';
}

type StreamState =
  | { readonly kind: 'idle' }
  | { readonly kind: 'listening'; readonly server: Server }
  | { readonly kind: 'closed' };

const DEFAULTS = {
  maxMessageSize: 65_535,
  maxConnections: 1024,
  // Longer than the 95–120 s keep-alive interval of RFC 5626 §4.4.1, so a kept-alive
  // flow is never cut.
  idleTimeoutMs: 180_000,
  connectTimeoutMs: 10_000,
};

export class StreamTransport implements SipTransport {
  readonly protocol: StreamProtocol;
  private state: StreamState = { kind: 'idle' };
  private readonly connections: ConnectionTable<StreamConnection>;
  private readonly connecting = new Map<string, Promise<StreamConnection>>();
  private readonly settings: typeof DEFAULTS;
  private readonly name: string;

  constructor(
    private readonly options: StreamTransportOptions,
    private readonly sockets: StreamSocketFactory,
  ) {
    this.protocol = sockets.protocol;
    this.name = sockets.protocol.toUpperCase();
    this.connections = new ConnectionTable(sockets.protocol);
    this.settings = {
      maxMessageSize: options.maxMessageSize ?? DEFAULTS.maxMessageSize,
      maxConnections: options.maxConnections ?? DEFAULTS.maxConnections,
      idleTimeoutMs: options.idleTimeoutMs ?? DEFAULTS.idleTimeoutMs,
      connectTimeoutMs: options.connectTimeoutMs ?? DEFAULTS.connectTimeoutMs,
    };
  }

  /** How many connections are open, both ways. */
  get connectionCount(): number {
    return this.connections.size;
  }

  async listen(): Promise<readonly SipEndpoint[]> {
    if (this.state.kind !== 'idle') {
      throw new SipTransportError('not_listening', `${this.name} transport is ${this.state.kind}`);
    }
    const server = this.sockets.createServer(
      (socket) => this.accept(socket),
      (cause, socket) => this.refused(cause, socket),
    );
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.bind.port, this.options.bind.address, () => {
        server.off('error', reject);
        resolve();
      });
    }).catch((error: unknown) => {
      throw new SipTransportError('socket_error', `${this.name} listen failed`, { cause: error });
    });
    server.on('error', (error) => {
      this.options.onError(
        new SipTransportError('socket_error', `${this.name} listener error`, { cause: error }),
      );
    });
    this.state = { kind: 'listening', server };
    const local = server.address();
    if (local === null || typeof local === 'string') return [];
    return [{ transport: this.protocol, address: local.address, port: local.port }];
  }

  async close(): Promise<void> {
    const state = this.state;
    this.state = { kind: 'closed' };
    for (const connection of this.connections.values()) connection.destroy();
    if (state.kind === 'listening') {
      await new Promise<void>((resolve) => state.server.close(() => resolve()));
    }
  }

  async send(message: SipMessage, destination: SipDestination): Promise<void> {
    const connection = await this.connectionFor(destination);
    await connection.write(serializeMessage(message));
  }

  /** §18.2.2: the request's connection, else any open one to the address, else a new one. */
  private async connectionFor(destination: SipDestination): Promise<StreamConnection> {
    if (this.state.kind !== 'listening') {
      throw new SipTransportError('not_listening', `${this.name} transport is not listening`);
    }
    const byId = this.connections.get(destination.connectionId);
    if (byId?.state === 'open' || byId?.state === 'draining') return byId;
    const existing = this.connections.latestTo(destination);
    if (existing?.state === 'open') return existing;
    const key = peerKey(destination);
    const inFlight = this.connecting.get(key);
    if (inFlight !== undefined) return inFlight;
    if (isIP(destination.address) === 0) {
      throw new SipTransportError('bad_destination', `not an IP address: ${destination.address}`, {
        peer: destination,
      });
    }
    if (this.connections.size + this.connecting.size >= this.settings.maxConnections) {
      throw new SipTransportError('connection_limit', `too many ${this.name} connections`, {
        peer: destination,
      });
    }
    const opening = this.open(destination).finally(() => this.connecting.delete(key));
    this.connecting.set(key, opening);
    return opening;
  }

  private open(destination: SipDestination): Promise<StreamConnection> {
    const peer: SipEndpoint = {
      transport: this.protocol,
      address: destination.address,
      port: destination.port,
    };
    return new Promise((resolve, reject) => {
      const socket = this.sockets.connect(destination);
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new SipTransportError('socket_error', `${this.name} connect timed out`, { peer }));
      }, this.settings.connectTimeoutMs);
      socket.once('error', (error) => {
        clearTimeout(timer);
        reject(
          new SipTransportError('socket_error', `${this.name} connect failed`, {
            peer,
            cause: error,
          }),
        );
      });
      socket.once(this.sockets.readyEvent, () => {
        clearTimeout(timer);
        socket.removeAllListeners('error');
        if (this.state.kind !== 'listening') {
          socket.destroy();
          reject(
            new SipTransportError(
              'not_listening',
              `${this.name} transport closed while connecting`,
              {
                peer,
              },
            ),
          );
          return;
        }
        resolve(this.register(socket, peer));
      });
    });
  }

  private accept(socket: Socket): void {
    const address = socket.remoteAddress;
    const port = socket.remotePort;
    if (this.state.kind !== 'listening' || address === undefined || port === undefined) {
      socket.destroy();
      return;
    }
    const peer: SipEndpoint = {
      transport: this.protocol,
      address: normalizeAddress(address),
      port,
    };
    if (this.connections.size + this.connecting.size >= this.settings.maxConnections) {
      socket.destroy();
      this.options.onError(
        new SipTransportError('connection_limit', `refused an inbound ${this.name} connection`, {
          peer,
        }),
      );
      return;
    }
    this.register(socket, peer);
  }

  /** A TLS client that failed its handshake (or spoke plain TCP): reported, then dropped. */
  private refused(cause: unknown, socket: Socket): void {
    const address = socket.remoteAddress;
    const port = socket.remotePort;
    socket.destroy();
    const peer =
      address === undefined || port === undefined
        ? undefined
        : { transport: this.protocol, address: normalizeAddress(address), port };
    this.options.onError(
      new SipTransportError('handshake_failed', `${this.name} handshake failed`, {
        ...(peer === undefined ? {} : { peer }),
        cause,
      }),
    );
  }

  private register(socket: Socket, peer: SipEndpoint): StreamConnection {
    const connection = new StreamConnection({
      id: this.connections.newId(),
      socket,
      remote: peer,
      maxMessageSize: this.settings.maxMessageSize,
      idleTimeoutMs: this.settings.idleTimeoutMs,
      onMessage: this.options.onMessage,
      onError: this.options.onError,
      onClosed: (closed) => this.connections.remove(closed),
    });
    this.connections.add(connection);
    return connection;
  }
}
