import { decodeHead, parseHead, type ParsedHead } from './head-parser.ts';
import { SipHeaders } from './headers.ts';
import { type SipMessage } from './message.ts';
import { checkMessage } from './message-checks.ts';
import { SipParseError } from './parse-error.ts';
import { parseContentLength } from './scalar-headers.ts';

/**
 * Whole-message parsing for datagram transports (RFC 3261 §7, §18.3):
 *
 *   generic-message  =  start-line *message-header CRLF [ message-body ]
 *
 * On a datagram the message ends with the datagram, so Content-Length may be absent (the
 * body is the rest); when present it must not exceed the bytes that follow the blank
 * line (400, RFC 4475 §3.1.2.2), and bytes beyond it are dropped (§18.3, RFC 4475
 * §3.1.1.8).
 */
export interface ParseOptions {
  /** Larger messages are refused with 513 (RFC 3261 §21.5.14). */
  readonly maxMessageSize?: number;
}

/** The largest UDP payload; streams may choose another limit. */
export const DEFAULT_MAX_MESSAGE_SIZE = 65_535;

const CRLF = Buffer.from('\r\n');
const BLANK_LINE = Buffer.from('\r\n\r\n');

export function parseMessage(bytes: Buffer, options: ParseOptions = {}): SipMessage {
  const maxMessageSize = options.maxMessageSize ?? DEFAULT_MAX_MESSAGE_SIZE;
  if (bytes.length > maxMessageSize) {
    throw new SipParseError(
      'too_large',
      `message of ${bytes.length} bytes exceeds ${maxMessageSize}`,
    );
  }
  // RFC 3261 §7.5: CRLFs before the start line are ignored.
  let start = 0;
  while (bytes.subarray(start, start + 2).equals(CRLF)) start += 2;
  const headEnd = bytes.indexOf(BLANK_LINE, start);
  if (headEnd < 0) throw new SipParseError('bad_header', 'no blank line after the header section');

  const head = parseHead(decodeHead(bytes.subarray(start, headEnd)));
  const rest = bytes.subarray(headEnd + BLANK_LINE.length);
  const lengthText = new SipHeaders(head.fields).get('content-length');
  let body = rest;
  if (lengthText !== undefined) {
    const length = parseContentLength(lengthText);
    if (length > rest.length) {
      throw new SipParseError(
        'bad_content_length',
        `Content-Length ${length} exceeds the ${rest.length} bytes received`,
      );
    }
    body = rest.subarray(0, length);
  }
  return buildMessage(head, body);
}

/** Assembles and checks a message from its parsed head and its body bytes. */
export function buildMessage(head: ParsedHead, body: Buffer): SipMessage {
  const headers = new SipHeaders(head.fields);
  const lengths = new Set(headers.getLines('content-length').map(parseContentLength));
  if (lengths.size > 1)
    throw new SipParseError('bad_content_length', 'conflicting Content-Length headers');
  // Copy: the message must not pin the caller's (possibly pooled) receive buffer.
  const ownBody = Buffer.from(body);
  const { startLine } = head;
  const message: SipMessage =
    startLine.kind === 'request'
      ? {
          kind: 'request',
          method: startLine.method,
          uri: startLine.uri,
          version: startLine.version,
          headers,
          body: ownBody,
        }
      : {
          kind: 'response',
          version: startLine.version,
          status: startLine.status,
          reason: startLine.reason,
          headers,
          body: ownBody,
        };
  checkMessage(message);
  return message;
}
