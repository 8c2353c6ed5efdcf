import { isUtf8 } from 'node:buffer';
import { type RawData, type WebSocket } from 'ws';
import { SipParseError, isSipParseError, parseMessage, type SipMessage } from '../message/index.ts';
import { acceptMessage, rejectMessage } from './inbound.ts';
import { SipTransportError } from './transport-error.ts';
import { type InboundSipMessage, type SipEndpoint } from './transport.ts';

/**
 * One SIP connection over WebSocket (RFC 7118). The WebSocket frames the messages, so
 * there is no stream framer: each WebSocket message, text or binary, is exactly one SIP
 * message (§5). Content-Length is not needed for framing, but when present it must equal
 * the body's length — a mismatch is a 400 like any malformed request. A malformed or
 * oversize request is answered on the connection (400/505/513), which stays open: the
 * message boundary is never lost, unlike on a byte stream (RFC 3261 §18.3).
 *
 * Keep-alives: a WebSocket Ping is answered Pong by the `ws` library (RFC 6455 §5.5.2);
 * a "\r\n\r\n" message, which SIP.js and other browser clients send as an RFC 5626
 * §3.5.1 ping over WebSocket, is answered with a "\r\n" message. The transport pings
 * every connection at an interval and ends one that stayed silent since the last ping.
 */
export interface WsConnectionOptions {
  readonly id: string;
  readonly socket: WebSocket;
  readonly remote: SipEndpoint;
  readonly maxMessageSize: number;
  readonly onMessage: (inbound: InboundSipMessage) => void;
  readonly onError: (error: SipTransportError) => void;
  readonly onClosed: (connection: WsConnection) => void;
}

export type WsConnectionState = 'open' | 'closing' | 'closed';

/** RFC 6455 §7.4.1: 1001 "going away", a server shutting down. */
const GOING_AWAY = 1001;
const CRLF = '\r\n';
const DOUBLE_CRLF = '\r\n\r\n';
const BLANK_LINE = Buffer.from(DOUBLE_CRLF);

export class WsConnection {
  readonly id: string;
  readonly remote: SipEndpoint;
  private connectionState: WsConnectionState = 'open';
  /** Anything received (a message, a Ping or a Pong) since the last liveness check. */
  private heardFrom = true;

  constructor(private readonly options: WsConnectionOptions) {
    this.id = options.id;
    this.remote = options.remote;
    const { socket } = options;
    socket.on('message', (data: RawData) => this.receive(toBuffer(data)));
    socket.on('ping', () => (this.heardFrom = true));
    socket.on('pong', () => (this.heardFrom = true));
    socket.on('error', (error) => {
      // ws closes the connection itself after a protocol error (an over-large message
      // is closed with 1009, RFC 6455 §7.4.1); it is reported here.
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

  get state(): WsConnectionState {
    return this.connectionState;
  }

  /** One SIP message per WebSocket message; text when it is valid UTF-8 (RFC 7118 §5). */
  write(bytes: Buffer): Promise<void> {
    if (this.connectionState !== 'open') {
      return Promise.reject(
        new SipTransportError('send_failed', `connection ${this.id} is ${this.connectionState}`, {
          peer: this.remote,
        }),
      );
    }
    return new Promise((resolve, reject) => {
      this.options.socket.send(bytes, { binary: !isUtf8(bytes) }, (error) => {
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

  /**
   * Called by the transport once per ping interval: a connection silent since the last
   * call is dead (a browser answers Ping by itself) and is ended; otherwise it is pinged.
   */
  checkLiveness(): void {
    if (this.connectionState !== 'open') return;
    if (!this.heardFrom) {
      this.terminate();
      return;
    }
    this.heardFrom = false;
    this.options.socket.ping();
  }

  /** A clean WebSocket close (1001), for shutdown. */
  close(): void {
    if (this.connectionState !== 'open') return;
    this.connectionState = 'closing';
    this.options.socket.close(GOING_AWAY);
  }

  terminate(): void {
    this.connectionState = 'closing';
    this.options.socket.terminate();
  }

  private receive(bytes: Buffer): void {
    if (this.connectionState !== 'open') return;
    this.heardFrom = true;
    const text = bytes.toString('latin1');
    if (/^(?:\r\n)+$/.test(text)) {
      // A ping gets its pong; a lone CRLF is a pong or stray (RFC 3261 §7.5: ignored).
      if (text === DOUBLE_CRLF) this.writeQuietly(Buffer.from(CRLF));
      return;
    }
    let message: SipMessage;
    try {
      message = parseWebSocketMessage(bytes, this.options.maxMessageSize);
    } catch (error) {
      if (!isSipParseError(error)) {
        this.options.onError(
          new SipTransportError('malformed_message', 'unexpected parser failure', {
            peer: this.remote,
            cause: error,
          }),
        );
        return;
      }
      const { reply, error: report } = rejectMessage(bytes, error, this.remote);
      this.options.onError(report);
      if (reply !== undefined) this.writeQuietly(reply);
      return;
    }
    this.options.onMessage(acceptMessage(message, this.remote, this.id));
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

/**
 * A whole SIP message from one WebSocket message. parseMessage reads it as a datagram
 * (a body shorter than Content-Length is refused there); RFC 7118 §5 asks for more — a
 * present Content-Length must be exact, so bytes beyond it are refused too.
 */
export function parseWebSocketMessage(bytes: Buffer, maxMessageSize: number): SipMessage {
  const message = parseMessage(bytes, { maxMessageSize });
  if (message.headers.get('content-length') === undefined) return message;
  let start = 0;
  while (bytes[start] === 0x0d && bytes[start + 1] === 0x0a) start += 2; // §7.5, as parsed
  const headEnd = bytes.indexOf(BLANK_LINE, start);
  const received = bytes.length - (headEnd + BLANK_LINE.length);
  if (message.body.length !== received) {
    throw new SipParseError(
      'bad_content_length',
      `Content-Length ${message.body.length} does not match the ${received} body bytes received`,
    );
  }
  return message;
}

function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}
