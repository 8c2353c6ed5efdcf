import { connect, createServer, isIP, type Server, type Socket } from 'node:net';
import { serializeMessage, type SipMessage } from '../message/index.ts';
import { normalizeAddress } from './inbound.ts';
import { TcpConnection } from './tcp-connection.ts';
import { SipTransportError } from './transport-error.ts';
import {
  type SipBindAddress,
  type SipDestination,
  type SipEndpoint,
  type SipTransport,
  type SipTransportHandlers,
} from './transport.ts';

/**
 * SIP over TCP (RFC 3261 §18): a listener plus the connections both ways. Connections
 * are reused — a response goes back on the connection its request came in on (§18.2.2),
 * and a message for an address goes on an open connection to it before a new one is
 * opened (§18.1.1) — so a client behind NAT stays reachable on the connection it opened
 * (the basis of RFC 5626 outbound). Quiet connections are closed after the idle timeout,
 * and the number of connections, both ways together, is capped.
 */
export interface TcpTransportOptions extends SipTransportHandlers {
  readonly bind: SipBindAddress;
  /** Per-message limit on the stream (RFC 3261 §21.5.14). */
  readonly maxMessageSize?: number;
  /** Inbound and outbound together; new ones beyond it are refused. */
  readonly maxConnections?: number;
  readonly idleTimeoutMs?: number;
  readonly connectTimeoutMs?: number;
}

type TcpState =
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

export class TcpTransport implements SipTransport {
  readonly protocol = 'tcp';
  private state: TcpState = { kind: 'idle' };
  private readonly connections = new Map<string, TcpConnection>();
  private readonly byRemote = new Map<string, TcpConnection>();
  private readonly connecting = new Map<string, Promise<TcpConnection>>();
  private nextId = 1;
  private readonly settings: typeof DEFAULTS;

  constructor(private readonly options: TcpTransportOptions) {
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
      throw new SipTransportError('not_listening', `TCP transport is ${this.state.kind}`);
    }
    const server = createServer((socket) => this.accept(socket));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.bind.port, this.options.bind.address, () => {
        server.off('error', reject);
        resolve();
      });
    }).catch((error: unknown) => {
      throw new SipTransportError('socket_error', 'TCP listen failed', { cause: error });
    });
    server.on('error', (error) => {
      this.options.onError(
        new SipTransportError('socket_error', 'TCP listener error', { cause: error }),
      );
    });
    this.state = { kind: 'listening', server };
    const local = server.address();
    if (local === null || typeof local === 'string') return [];
    return [{ transport: 'tcp', address: local.address, port: local.port }];
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
  private async connectionFor(destination: SipDestination): Promise<TcpConnection> {
    if (this.state.kind !== 'listening') {
      throw new SipTransportError('not_listening', 'TCP transport is not listening');
    }
    const byId =
      destination.connectionId === undefined
        ? undefined
        : this.connections.get(destination.connectionId);
    if (byId?.state === 'open' || byId?.state === 'draining') return byId;
    const key = remoteKey(destination);
    const existing = this.byRemote.get(key);
    if (existing?.state === 'open') return existing;
    const inFlight = this.connecting.get(key);
    if (inFlight !== undefined) return inFlight;
    if (isIP(destination.address) === 0) {
      throw new SipTransportError('bad_destination', `not an IP address: ${destination.address}`, {
        peer: destination,
      });
    }
    if (this.connections.size + this.connecting.size >= this.settings.maxConnections) {
      throw new SipTransportError('connection_limit', 'too many TCP connections', {
        peer: destination,
      });
    }
    const opening = this.open(destination).finally(() => this.connecting.delete(key));
    this.connecting.set(key, opening);
    return opening;
  }

  private open(destination: SipEndpoint): Promise<TcpConnection> {
    const peer: SipEndpoint = {
      transport: 'tcp',
      address: destination.address,
      port: destination.port,
    };
    return new Promise((resolve, reject) => {
      const socket = connect({ host: peer.address, port: peer.port });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new SipTransportError('socket_error', 'TCP connect timed out', { peer }));
      }, this.settings.connectTimeoutMs);
      socket.once('error', (error) => {
        clearTimeout(timer);
        reject(new SipTransportError('socket_error', 'TCP connect failed', { peer, cause: error }));
      });
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.removeAllListeners('error');
        if (this.state.kind !== 'listening') {
          socket.destroy();
          reject(
            new SipTransportError('not_listening', 'TCP transport closed while connecting', {
              peer,
            }),
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
    const peer: SipEndpoint = { transport: 'tcp', address: normalizeAddress(address), port };
    if (this.connections.size + this.connecting.size >= this.settings.maxConnections) {
      socket.destroy();
      this.options.onError(
        new SipTransportError('connection_limit', 'refused an inbound TCP connection', { peer }),
      );
      return;
    }
    this.register(socket, peer);
  }

  private register(socket: Socket, peer: SipEndpoint): TcpConnection {
    const connection = new TcpConnection({
      id: `tcp-${this.nextId}`,
      socket,
      remote: peer,
      maxMessageSize: this.settings.maxMessageSize,
      idleTimeoutMs: this.settings.idleTimeoutMs,
      onMessage: this.options.onMessage,
      onError: this.options.onError,
      onClosed: (closed) => this.forget(closed),
    });
    this.nextId += 1;
    this.connections.set(connection.id, connection);
    this.byRemote.set(remoteKey(peer), connection);
    return connection;
  }

  private forget(connection: TcpConnection): void {
    this.connections.delete(connection.id);
    const key = remoteKey(connection.remote);
    if (this.byRemote.get(key) === connection) this.byRemote.delete(key);
  }
}

function remoteKey(endpoint: SipEndpoint): string {
  return `${endpoint.address}|${endpoint.port}`;
}
