import { decodeHead, parseHead, salvageContentLength, type ParsedHead } from './head-parser.ts';
import { SipHeaders } from './headers.ts';
import { type SipMessage } from './message.ts';
import { SipParseError } from './parse-error.ts';
import { buildMessage, DEFAULT_MAX_MESSAGE_SIZE } from './parser.ts';
import { parseContentLength } from './scalar-headers.ts';

/**
 * Cuts a TCP / TLS / WebSocket byte stream into SIP messages (RFC 3261 §18.3): the head
 * ends at the first blank line and Content-Length, mandatory on streams, says where the
 * body ends. Between messages:
 *
 *   - CRLFCRLF is an RFC 5626 §3.5.1 keep-alive "ping" (the transport answers CRLF);
 *   - a lone CRLF is the "pong" (or a stray CRLF, which §7.5 says to ignore).
 *
 * A lone CRLF at the very end of a chunk is reported as a pong at once (a client waits for
 * it); if the next chunk starts with CRLF the pair is then reported as a ping as well.
 *
 * Errors: a message whose extent is known (blank line found, Content-Length readable) but
 * whose content is malformed is skipped and reported with `fatal: false`; losing the
 * framing (no or bad Content-Length, a head or message over the size limit) is `fatal:
 * true` — the transport must close the connection, and the framer ignores further input.
 * The buffer never holds more than one maximum-size message plus the last chunk.
 */
export type FramerEvent =
  | { readonly type: 'message'; readonly message: SipMessage; readonly bytes: Buffer }
  | { readonly type: 'ping' }
  | { readonly type: 'pong' }
  | { readonly type: 'error'; readonly error: SipParseError; readonly fatal: boolean };

export interface StreamFramerOptions {
  /** Head plus body; larger messages are a fatal 513 (RFC 3261 §21.5.14). */
  readonly maxMessageSize?: number;
}

type FramerState =
  | { readonly kind: 'between' }
  | { readonly kind: 'after-lone-crlf' }
  | {
      readonly kind: 'body';
      readonly head: ParsedHead | SipParseError;
      readonly headBytes: number;
      readonly bodyLength: number;
    }
  | { readonly kind: 'closed' };

const CRLF = Buffer.from('\r\n');
const BLANK_LINE = Buffer.from('\r\n\r\n');

export class SipStreamFramer {
  private buffer: Buffer = Buffer.alloc(0);
  private state: FramerState = { kind: 'between' };
  private readonly maxMessageSize: number;

  constructor(options: StreamFramerOptions = {}) {
    this.maxMessageSize = options.maxMessageSize ?? DEFAULT_MAX_MESSAGE_SIZE;
  }

  get closed(): boolean {
    return this.state.kind === 'closed';
  }

  /** Feeds a chunk; returns what it completed, in order. */
  push(chunk: Buffer): FramerEvent[] {
    if (this.state.kind === 'closed') return [];
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    const events: FramerEvent[] = [];
    for (;;) {
      const event = this.step();
      if (event === undefined) break;
      events.push(event);
      if (event.type === 'error' && event.fatal) break;
    }
    return events;
  }

  /** One transition; `undefined` when more bytes are needed. */
  private step(): FramerEvent | undefined {
    const state = this.state;
    switch (state.kind) {
      case 'closed':
        return undefined;
      case 'after-lone-crlf':
        if (this.buffer.length < 2) return undefined;
        this.state = { kind: 'between' };
        if (this.buffer.subarray(0, 2).equals(CRLF)) {
          this.consume(2);
          return { type: 'ping' };
        }
        return this.step();
      case 'between':
        return this.stepBetween();
      case 'body':
        return this.stepBody(state.head, state.headBytes, state.bodyLength);
    }
  }

  private stepBetween(): FramerEvent | undefined {
    if (this.buffer.length === 0) return undefined;
    if (this.buffer.subarray(0, 4).equals(BLANK_LINE)) {
      this.consume(4);
      return { type: 'ping' };
    }
    if (this.buffer.subarray(0, 2).equals(CRLF)) {
      if (this.buffer.length === 3 && this.buffer[2] === 0x0d) return undefined; // CRLF CR…: wait
      this.consume(2);
      if (this.buffer.length === 0) this.state = { kind: 'after-lone-crlf' };
      return { type: 'pong' };
    }
    if (this.buffer.length === 1 && this.buffer[0] === 0x0d) return undefined;

    const headEnd = this.buffer.indexOf(BLANK_LINE);
    if (headEnd < 0) {
      if (this.buffer.length > this.maxMessageSize) {
        return this.fail(
          new SipParseError('too_large', `header section exceeds ${this.maxMessageSize} bytes`),
        );
      }
      return undefined;
    }
    const headBytes = headEnd + BLANK_LINE.length;
    const { head, bodyLength } = this.readHead(this.buffer.subarray(0, headEnd));
    if (bodyLength instanceof SipParseError) return this.fail(bodyLength);
    if (headBytes + bodyLength > this.maxMessageSize) {
      return this.fail(
        new SipParseError(
          'too_large',
          `message of ${headBytes + bodyLength} bytes exceeds ${this.maxMessageSize}`,
        ),
      );
    }
    this.state = { kind: 'body', head, headBytes, bodyLength };
    return this.step();
  }

  /** Parses the head; a broken head still frames if its Content-Length can be salvaged. */
  private readHead(bytes: Buffer): {
    head: ParsedHead | SipParseError;
    bodyLength: number | SipParseError;
  } {
    let text: string;
    try {
      text = decodeHead(bytes);
    } catch (error) {
      if (!(error instanceof SipParseError)) throw error;
      const salvaged = salvageContentLength(bytes.toString('latin1'));
      return { head: error, bodyLength: salvaged ?? error };
    }
    let head: ParsedHead;
    try {
      head = parseHead(text);
    } catch (error) {
      if (!(error instanceof SipParseError)) throw error;
      return { head: error, bodyLength: salvageContentLength(text) ?? error };
    }
    const lengthText = new SipHeaders(head.fields).get('content-length');
    if (lengthText === undefined) {
      // RFC 3261 §18.3: without Content-Length a stream cannot be framed.
      return {
        head,
        bodyLength: new SipParseError(
          'bad_content_length',
          'Content-Length is mandatory on stream transports',
        ),
      };
    }
    try {
      return { head, bodyLength: parseContentLength(lengthText) };
    } catch (error) {
      if (!(error instanceof SipParseError)) throw error;
      return { head, bodyLength: error };
    }
  }

  private stepBody(
    head: ParsedHead | SipParseError,
    headBytes: number,
    bodyLength: number,
  ): FramerEvent | undefined {
    const total = headBytes + bodyLength;
    if (this.buffer.length < total) return undefined;
    const bytes = Buffer.from(this.buffer.subarray(0, total));
    this.consume(total);
    this.state = { kind: 'between' };
    if (head instanceof SipParseError) return { type: 'error', error: head, fatal: false };
    try {
      return { type: 'message', message: buildMessage(head, bytes.subarray(headBytes)), bytes };
    } catch (error) {
      if (!(error instanceof SipParseError)) throw error;
      return { type: 'error', error, fatal: false };
    }
  }

  private consume(count: number): void {
    this.buffer = this.buffer.subarray(count);
  }

  private fail(error: SipParseError): FramerEvent {
    this.state = { kind: 'closed' };
    this.buffer = Buffer.alloc(0);
    return { type: 'error', error, fatal: true };
  }
}
