import { headerKey } from './header-names.ts';
import { type SipMessage } from './message.ts';

/**
 * The wire form of a message (RFC 3261 §7): start line, header lines in order with their
 * names as stored, CRLF line ends, a blank line, the body. Content-Length always states
 * the body's real length (§20.14, mandatory on streams §18.3): the first Content-Length
 * line keeps its place and spelling with the value rewritten, extra ones are dropped, and
 * one is appended when there was none.
 */
export function serializeMessage(message: SipMessage): Buffer {
  const startLine =
    message.kind === 'request'
      ? `${message.method} ${message.uri} ${message.version}`
      : `${message.version} ${message.status} ${message.reason}`;
  const lines = [startLine];
  let lengthWritten = false;
  for (const field of message.headers.entries()) {
    if (headerKey(field.name) === 'content-length') {
      if (!lengthWritten) lines.push(`${field.name}: ${message.body.length}`);
      lengthWritten = true;
    } else {
      lines.push(`${field.name}: ${field.value}`);
    }
  }
  if (!lengthWritten) lines.push(`Content-Length: ${message.body.length}`);
  return Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'utf8'), message.body]);
}
