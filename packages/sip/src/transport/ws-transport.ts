import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import { type Duplex } from 'node:stream';
import { Server as TlsServer } from 'node:tls';
import { WebSocketServer, type WebSocket } from 'ws';
import { serializeMessage, type SipMessage } from '../message/index.ts';
import { normalizeAddress } from './inbound.ts';
import { tlsContextOptions, type TlsCredentials } from './tls-transport.ts';
import { SipTransportError } from './transport-error.ts';
import {
  type SipBindAddress,
  type SipDestination,
  type SipEndpoint,
  type SipTransport,
  type SipTransportHandlers,
} from './transport.ts';
import { WsConnection } from './ws-connection.ts';
import { ConnectionTable } from './connection-table.ts';

/**
 * SIP over WebSocket (RFC 7118; Via transport "WS" or "WSS", §5.2), for browsers and
 * WebRTC softphones. The handshake must offer the "sip" subprotocol (§4.1) or it is
 * refused with 400. A browser cannot accept connections and puts an unreachable
 * "*.invalid" host in its Via and Contact (the examples of §8), so responses and later
 * requests reach it only over the connection it opened: `send` uses the destination's
 * connection id, else an open connection from the same address and port, and never
 * dials out.
 *
 * Two ways to run: its own HTTP server on an address (`listen`; HTTPS for wss when given
 * a key and certificate), or attached to another server's upgrades on a path (`attach`,
 * default "/sip") — how Provod's own HTTP server carries SIP next to its API. An attached
 * transport is "wss" when that server is an HTTPS server.
 */
export type WsServerMode =
  | {
      readonly kind: 'listen';
      readonly bind: SipBindAddress;
      /** With credentials the server speaks HTTPS and the transport is "wss". */
      readonly tls?: TlsCredentials;
      /** Upgrades to other paths get 404; by default every path is accepted. */
      readonly path?: string;
    }
  | {
      readonly kind: 'attach';
      readonly server: Server | HttpsServer;
      /** Default "/sip". Other paths are left to the server's other upgrade handlers. */
      readonly path?: string;
    };

export interface WsTransportOptions extends SipTransportHandlers {
  readonly server: WsServerMode;
  /** Per-message limit (RFC 3261 §21.5.14): larger messages get 513. */
  readonly maxMessageSize?: number;
  readonly maxConnections?: number;
  /** How often each connection is pinged; one silent for a whole interval is ended. */
  readonly pingIntervalMs?: number;
}

type WsState =
  | { readonly kind: 'idle' }
  | {
      readonly kind: 'listening';
      readonly webSockets: WebSocketServer;
      readonly onUpgrade: (request: IncomingMessage, socket: Duplex, head: Buffer) => void;
      readonly pinger: NodeJS.Timeout;
    }
  | { readonly kind: 'closed' };

const DEFAULTS = {
  maxMessageSize: 65_535,
  maxConnections: 1024,
  // Well inside the 60–120 s idle timeouts of common HTTP proxies in front of a server.
  pingIntervalMs: 30_000,
};
const DEFAULT_ATTACH_PATH = '/sip';
const SUBPROTOCOL = 'sip';

export class WsTransport implements SipTransport {
  readonly protocol: 'ws' | 'wss';
  private state: WsState = { kind: 'idle' };
  private readonly connections: ConnectionTable<WsConnection>;
  private readonly settings: typeof DEFAULTS;
  private readonly server: Server | HttpsServer;
  private readonly path: string | undefined;

  constructor(private readonly options: WsTransportOptions) {
    this.settings = {
      maxMessageSize: options.maxMessageSize ?? DEFAULTS.maxMessageSize,
      maxConnections: options.maxConnections ?? DEFAULTS.maxConnections,
      pingIntervalMs: options.pingIntervalMs ?? DEFAULTS.pingIntervalMs,
    };
    const mode = options.server;
    if (mode.kind === 'attach') {
      this.server = mode.server;
      this.path = mode.path ?? DEFAULT_ATTACH_PATH;
      this.protocol = mode.server instanceof TlsServer ? 'wss' : 'ws';
    } else {
      this.server =
        mode.tls === undefined
          ? createHttpServer(refuseHttp)
          : createHttpsServer(tlsContextOptions(mode.tls), refuseHttp);
      this.path = mode.path;
      this.protocol = mode.tls === undefined ? 'ws' : 'wss';
    }
    this.connections = new ConnectionTable(this.protocol);
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  /**
   * Starts taking upgrades. An attached transport returns the server's address when it
   * is already listening, else nothing (the server's owner binds it).
   */
  async listen(): Promise<readonly SipEndpoint[]> {
    if (this.state.kind !== 'idle') {
      throw new SipTransportError('not_listening', `${this.name} transport is ${this.state.kind}`);
    }
    const mode = this.options.server;
    if (mode.kind === 'listen') await this.bind(mode.bind);
    const webSockets = new WebSocketServer({
      noServer: true,
      clientTracking: false,
      perMessageDeflate: false,
      // Room to read the head of an over-large message and answer 513; beyond this, ws
      // closes the connection with 1009 (RFC 6455 §7.4.1) without buffering the rest.
      maxPayload: 2 * this.settings.maxMessageSize,
      handleProtocols: () => SUBPROTOCOL,
    });
    const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer): void =>
      this.upgrade(webSockets, request, socket, head);
    this.server.on('upgrade', onUpgrade);
    const pinger = setInterval(() => {
      for (const connection of this.connections.values()) connection.checkLiveness();
    }, this.settings.pingIntervalMs);
    pinger.unref();
    this.state = { kind: 'listening', webSockets, onUpgrade, pinger };
    const local = this.server.address();
    if (local === null || typeof local === 'string') return [];
    return [{ transport: this.protocol, address: local.address, port: local.port }];
  }

  /** Ends every connection; closes its own server, or detaches from the shared one. */
  async close(): Promise<void> {
    const state = this.state;
    this.state = { kind: 'closed' };
    if (state.kind !== 'listening') return;
    clearInterval(state.pinger);
    this.server.off('upgrade', state.onUpgrade);
    for (const connection of this.connections.values()) connection.terminate();
    state.webSockets.close();
    if (this.options.server.kind === 'listen') {
      const server = this.server;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    }
  }

  /** Only over a connection the peer opened (see the class comment). */
  async send(message: SipMessage, destination: SipDestination): Promise<void> {
    if (this.state.kind !== 'listening') {
      throw new SipTransportError('not_listening', `${this.name} transport is not listening`);
    }
    const byId = this.connections.get(destination.connectionId);
    const connection = byId?.state === 'open' ? byId : this.connections.latestTo(destination);
    if (connection?.state !== 'open') {
      throw new SipTransportError(
        'bad_destination',
        `no open ${this.name} connection to ${destination.address}:${destination.port}`,
        { peer: destination },
      );
    }
    await connection.write(serializeMessage(message));
  }

  private get name(): string {
    return this.protocol.toUpperCase();
  }

  private async bind(bind: SipBindAddress): Promise<void> {
    const server = this.server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(bind.port, bind.address, () => {
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
  }

  private upgrade(
    webSockets: WebSocketServer,
    request: IncomingMessage,
    socket: Duplex,
    head: Buffer,
  ): void {
    if (this.path !== undefined && requestPath(request) !== this.path) {
      // Another upgrade handler on a shared server may own the path; alone, answer it.
      if (this.options.server.kind === 'listen' || this.server.listenerCount('upgrade') === 1) {
        refuseUpgrade(socket, 404, 'Not Found');
      }
      return;
    }
    const peer = peerOf(request, this.protocol);
    if (!offersSip(request)) {
      refuseUpgrade(socket, 400, 'Bad Request');
      this.options.onError(
        new SipTransportError(
          'handshake_failed',
          'WebSocket handshake without the "sip" subprotocol',
          {
            ...(peer === undefined ? {} : { peer }),
          },
        ),
      );
      return;
    }
    if (peer === undefined || this.state.kind !== 'listening') {
      socket.destroy();
      return;
    }
    if (this.connections.size >= this.settings.maxConnections) {
      refuseUpgrade(socket, 503, 'Service Unavailable');
      this.options.onError(
        new SipTransportError('connection_limit', `refused an inbound ${this.name} connection`, {
          peer,
        }),
      );
      return;
    }
    webSockets.handleUpgrade(request, socket, head, (webSocket) => this.register(webSocket, peer));
  }

  private register(socket: WebSocket, peer: SipEndpoint): void {
    if (this.state.kind !== 'listening') {
      socket.terminate();
      return;
    }
    const connection = new WsConnection({
      id: this.connections.newId(),
      socket,
      remote: peer,
      maxMessageSize: this.settings.maxMessageSize,
      onMessage: this.options.onMessage,
      onError: this.options.onError,
      onClosed: (closed) => this.connections.remove(closed),
    });
    this.connections.add(connection);
  }
}

/** RFC 6455 §4.1: Sec-WebSocket-Protocol is a comma-separated list of tokens. */
function offersSip(request: IncomingMessage): boolean {
  const offered = request.headers['sec-websocket-protocol'];
  if (offered === undefined) return false;
  return offered.split(',').some((token) => token.trim() === SUBPROTOCOL);
}

function requestPath(request: IncomingMessage): string {
  return new URL(request.url ?? '/', 'http://localhost').pathname;
}

function peerOf(request: IncomingMessage, transport: 'ws' | 'wss'): SipEndpoint | undefined {
  const address = request.socket.remoteAddress;
  const port = request.socket.remotePort;
  if (address === undefined || port === undefined) return undefined;
  return { transport, address: normalizeAddress(address), port };
}

function refuseUpgrade(socket: Duplex, status: number, reason: string): void {
  const head = `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`;
  socket.end(head, () => socket.destroy());
}

/** The transport's own server carries only WebSocket: 426 (RFC 9110 §15.5.22). */
function refuseHttp(_request: IncomingMessage, response: ServerResponse): void {
  response.writeHead(426, { Upgrade: 'websocket', Connection: 'Upgrade', 'Content-Length': '0' });
  response.end();
}
