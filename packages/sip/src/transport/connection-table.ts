import type { SipEndpoint } from './transport.ts';

/** What the table needs of a connection: its id and the peer it talks to. */
export interface TableConnection {
  readonly id: string;
  readonly remote: SipEndpoint;
}

/**
 * The open connections of one connection-oriented transport (TCP, TLS, WebSocket): by id,
 * so a response goes back on the connection its request came in on (RFC 3261 §18.2.2),
 * and by peer address, so a later request to that peer reuses a connection it opened
 * (§18.1.1; a browser or a phone behind NAT is reachable no other way, RFC 5626).
 */
export class ConnectionTable<Connection extends TableConnection> {
  private readonly byId = new Map<string, Connection>();
  private readonly byPeer = new Map<string, Connection>();
  private nextId = 1;

  constructor(private readonly prefix: string) {}

  get size(): number {
    return this.byId.size;
  }

  values(): IterableIterator<Connection> {
    return this.byId.values();
  }

  /** A fresh id such as `tcp-7` for the next connection. */
  newId(): string {
    const id = `${this.prefix}-${this.nextId}`;
    this.nextId += 1;
    return id;
  }

  add(connection: Connection): void {
    this.byId.set(connection.id, connection);
    this.byPeer.set(peerKey(connection.remote), connection);
  }

  remove(connection: Connection): void {
    this.byId.delete(connection.id);
    const key = peerKey(connection.remote);
    if (this.byPeer.get(key) === connection) this.byPeer.delete(key);
  }

  /** The connection a message came in on, by the id its transport gave it. */
  get(connectionId: string | undefined): Connection | undefined {
    return connectionId === undefined ? undefined : this.byId.get(connectionId);
  }

  /** The latest connection to (or from) this address and port. */
  latestTo(endpoint: SipEndpoint): Connection | undefined {
    return this.byPeer.get(peerKey(endpoint));
  }
}

export function peerKey(endpoint: SipEndpoint): string {
  return `${endpoint.address}|${endpoint.port}`;
}
