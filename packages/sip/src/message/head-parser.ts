import { type HeaderField } from './headers.ts';
import { TOKEN_RE, isWhitespace, trimWhitespace } from './lexical.ts';
import { SipParseError } from './parse-error.ts';
import { parseStartLine, type StartLine } from './start-line.ts';

/**
 * The head of a message — start line and header fields, without the blank line — as
 * text. RFC 3261 §7.3.1:
 *
 *   message-header  =  field-name HCOLON field-value CRLF
 *   HCOLON          =  *( SP / HTAB ) ":" SWS
 *
 * A line starting with SP or HTAB continues the previous field (line folding); the fold
 * and the whitespace around it become one SP, as §7.3.1 allows before interpretation.
 */
export interface ParsedHead {
  readonly startLine: StartLine;
  readonly fields: HeaderField[];
}

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** RFC 3261 §7.3.1 / §25: header text is UTF-8; anything else is refused, not guessed. */
export function decodeHead(bytes: Buffer): string {
  try {
    return decoder.decode(bytes);
  } catch (error) {
    if (error instanceof TypeError) {
      throw new SipParseError('bad_encoding', 'the header section is not valid UTF-8');
    }
    throw error;
  }
}

export function parseHead(text: string): ParsedHead {
  const lines = text.split('\r\n');
  const [startText = '', ...headerLines] = lines;
  if (/[\r\n]/.test(startText))
    throw new SipParseError('bad_start_line', 'bare CR or LF in the start line');
  const startLine = parseStartLine(startText);

  const fields: { name: string; value: string }[] = [];
  for (const line of headerLines) {
    if (/[\r\n]/.test(line)) {
      throw new SipParseError('bad_header', `bare CR or LF in header line ${JSON.stringify(line)}`);
    }
    if (isWhitespace(line[0])) {
      const previous = fields.at(-1);
      if (previous === undefined)
        throw new SipParseError('bad_header', 'continuation line before any header');
      const continuation = trimWhitespace(line);
      if (continuation !== '') {
        previous.value = previous.value === '' ? continuation : `${previous.value} ${continuation}`;
      }
      continue;
    }
    const colon = line.indexOf(':');
    const name = colon < 0 ? '' : line.slice(0, colon).replace(/[ \t]+$/, '');
    if (!TOKEN_RE.test(name)) {
      throw new SipParseError('bad_header', `malformed header line ${JSON.stringify(line)}`);
    }
    fields.push({ name, value: trimWhitespace(line.slice(colon + 1)) });
  }
  return { startLine, fields };
}

/**
 * Finds Content-Length in a head that failed to parse, so a stream can skip the broken
 * message and stay in sync; `undefined` when it cannot be told.
 */
export function salvageContentLength(text: string): number | undefined {
  const match = /\r\n(?:content-length|l)[ \t]*:[ \t]*([0-9]{1,9})[ \t]*(?:\r\n|$)/i.exec(text);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}
