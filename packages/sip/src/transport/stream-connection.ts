import { type Socket } from 'node:net';
import { SipStreamFramer, type FramerEvent } from '../message/index.ts';
import { salvageContentLength } from '../message/head-parser.ts';
import { acceptMessage, rejectMessage } from './inbound.ts';
import { SipTransportError } from './transport-error.ts';
import { type InboundSipMessage, type SipEndpoint } from './transport.ts';

/**
 * One SIP connection over TCP or TLS (RFC 3261 §18.3): a SipStreamFramer cuts the stream into
 * messages; CRLFCRLF pings are answered with a CRLF pong (RFC 5626 §3.5.1); a malformed
 * request is answered 400/505/513 where its head can be read; losing the framing closes
 * the connection after that answer (§18.3: the stream can no longer be trusted). A
 * connection quiet for `idleTimeoutMs` in both directions is closed.
 *
 * To answer a broken message the connection needs its bytes, which the framer does not
 * hand out, so it keeps `pending`: the bytes from the start of the message being framed,
 * advanced past each message, keep-alive and skipped message the framer reports.
 */
export interface StreamConnectionOptions {
  readonly id: string;
  readonly socket: Socket;
  readonly remote: SipEndpoint;
  readonly maxMessageSize: number;
  readonly idleTimeoutMs: number;
  readonly onMessage: (inbound: InboundSipMessage) => void;
  readonly onError: (error: SipTransportError) => void;
  readonly onClosed: (connection: StreamConnection) => void;
}

/**
 * `draining`: framing was lost, so nothing more is read, but responses to the requests
 * already delivered may still be written before the connection ends.
 */
export type StreamConnectionState = 'open' | 'draining' | 'closing' | 'closed';

/** How long a draining connection waits for the answers still owed before it ends. */
export const drainGraceMs = 2000;

const PONG = Buffer.from('\r\n');
const BLANK_LINE = Buffer.from('\r\n\r\n');

export class StreamConnection {
  readonly id: string;
  readonly remote: SipEndpoint;
  private connectionState: StreamConnectionState = 'open';
  private readonly framer: SipStreamFramer;
  private pending: Buffer = Buffer.alloc(0);

  constructor(private readonly options: StreamConnectionOptions) {
    this.id = options.id;
    this.remote = options.remote;
    this.framer = new SipStreamFramer({ maxMessageSize: options.maxMessageSize });
    const { socket } = options;
    socket.setNoDelay(true);
    socket.setTimeout(options.idleTimeoutMs);
    // Idle, or a peer that never finished closing after `close()`: either way, gone.
    socket.on('timeout', () => this.destroy());
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('error', (error) => {
      this.options.onError(
        new SipTransportError('socket_error', `connection ${this.id} failed`, {
          peer: this.remote,
          cause: error,
        }),
      );
    });
    socket.on('close', () => {
      this.connectionState = 'closed';
      this.options.onClosed(this);
    });
  }

  get state(): StreamConnectionState {
    return this.connectionState;
  }

  write(bytes: Buffer): Promise<void> {
    if (this.connectionState !== 'open' && this.connectionState !== 'draining') {
      return Promise.reject(
        new SipTransportError('send_failed', `connection ${this.id} is ${this.connectionState}`, {
          peer: this.remote,
        }),
      );
    }
    return new Promise((resolve, reject) => {
      this.options.socket.write(bytes, (error) => {
        if (error === undefined || error === null) resolve();
        else {
          reject(
            new SipTransportError('send_failed', `write on ${this.id} failed`, {
              peer: this.remote,
              cause: error,
            }),
          );
        }
      });
    });
  }

  /** Ends gracefully: what was written is flushed, then the socket goes. */
  close(): void {
    if (this.connectionState !== 'open' && this.connectionState !== 'draining') return;
    this.connectionState = 'closing';
    this.options.socket.end();
  }

  destroy(): void {
    this.connectionState = 'closing';
    this.options.socket.destroy();
  }

  private receive(chunk: Buffer): void {
    if (this.connectionState !== 'open') return;
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    for (const event of this.framer.push(chunk)) this.handle(event);
  }

  private handle(event: FramerEvent): void {
    this.skipCrlfs();
    switch (event.type) {
      case 'message':
        this.pending = this.pending.subarray(event.bytes.length);
        this.options.onMessage(acceptMessage(event.message, this.remote, this.id));
        return;
      case 'ping':
        this.writeQuietly(PONG);
        return;
      case 'pong':
        return;
      case 'error': {
        const { reply, error } = rejectMessage(this.pending, event.error, this.remote);
        this.options.onError(error);
        if (reply !== undefined) this.writeQuietly(reply);
        if (event.fatal) {
          // Requests of the same write may still be waiting for their answers (TCP does
          // not retransmit them): stop reading, let those answers out, then end.
          this.pending = Buffer.alloc(0);
          this.connectionState = 'draining';
          setTimeout(() => this.close(), drainGraceMs).unref();
        } else {
          this.pending = this.pending.subarray(this.skippedLength());
        }
        return;
      }
    }
  }

  /** Between messages only CRLF keep-alives come (§7.5, RFC 5626 §3.5.1). */
  private skipCrlfs(): void {
    let start = 0;
    while (this.pending[start] === 0x0d && this.pending[start + 1] === 0x0a) start += 2;
    if (start > 0) this.pending = this.pending.subarray(start);
  }

  /**
   * The extent of a message the framer skipped as malformed: it framed it, so its head
   * ends at the blank line and its Content-Length was readable (the framer's own rule).
   */
  private skippedLength(): number {
    const headEnd = this.pending.indexOf(BLANK_LINE);
    if (headEnd < 0) return this.pending.length;
    const headText = this.pending.subarray(0, headEnd).toString('latin1');
    return headEnd + BLANK_LINE.length + (salvageContentLength(headText) ?? 0);
  }

  private writeQuietly(bytes: Buffer): void {
    this.write(bytes).catch((error: unknown) => {
      this.options.onError(
        error instanceof SipTransportError
          ? error
          : new SipTransportError('send_failed', `write on ${this.id} failed`, {
              peer: this.remote,
              cause: error,
            }),
      );
    });
  }
}
