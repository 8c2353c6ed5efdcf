import { randomBytes } from 'node:crypto';
import {
  headerKey,
  isSipParseError,
  parseVia,
  serializeVia,
  splitHeaderList,
  type SipParseError,
} from '../message/index.ts';
import { type SipEndpoint } from './transport.ts';
import { stampTopVia } from './via-routing.ts';

/**
 * The answer to a request that failed to parse (RFC 3261 §8.2.6.2, §21.4.1 400,
 * §21.5.6 505, §21.5.14 513). Since the message did not parse, its head is read
 * leniently here: only what a response needs — the request line's method and the Via,
 * From, To, Call-ID and CSeq lines, copied as text. Without all five nothing can be
 * matched by the client, so `undefined` (drop and report). ACK is never answered
 * (§17.2.1). The error's own text goes in the reason phrase, after the standard one.
 */
export interface ErrorResponseInput {
  /** The received bytes; leading CRLFs are skipped (§7.5). */
  readonly bytes: Buffer;
  readonly error: SipParseError;
  readonly source: SipEndpoint;
  /** The To tag to add when the request had none (§8.2.6.2); random by default. */
  readonly toTag?: string;
}

const STANDARD_REASONS: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  505: 'Version Not Supported',
  513: 'Message Too Large',
};

// Request-Line = Method SP … ; a Status-Line starts with "SIP/" and is never answered.
const REQUEST_LINE_RE = /^([A-Za-z0-9.!%*_+`'~-]+) /;
const COPIED = ['via', 'from', 'to', 'call-id', 'cseq'] as const;
type CopiedHeader = (typeof COPIED)[number];

export function buildErrorResponse(input: ErrorResponseInput): Buffer | undefined {
  const head = readLenientHead(input.bytes);
  if (head === undefined) return undefined;
  const method = REQUEST_LINE_RE.exec(head.startLine)?.[1];
  if (method === undefined || head.startLine.startsWith('SIP/')) return undefined;
  const cseq = head.fields.get('cseq')?.[0];
  if (method === 'ACK' || (cseq !== undefined && /\bACK\s*$/.test(cseq))) return undefined;
  if (COPIED.some((name) => (head.fields.get(name)?.length ?? 0) === 0)) return undefined;

  const status = input.error.status;
  const lines = [`SIP/2.0 ${status} ${reasonPhrase(status, input.error.message)}`];
  const vias = (head.fields.get('via') ?? []).flatMap(splitHeaderList);
  vias.forEach((via, index) => {
    lines.push(`Via: ${index === 0 ? stampIfParsable(via, input.source) : via}`);
  });
  for (const name of ['from', 'to', 'call-id', 'cseq'] as const) {
    for (const value of head.fields.get(name) ?? []) {
      const withTag =
        name === 'to' && !/;\s*tag\s*=/i.test(value)
          ? `${value};tag=${input.toTag ?? randomBytes(6).toString('hex')}`
          : value;
      lines.push(`${displayName(name)}: ${withTag}`);
    }
  }
  lines.push('Content-Length: 0');
  return Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'utf8');
}

interface LenientHead {
  readonly startLine: string;
  readonly fields: ReadonlyMap<CopiedHeader, string[]>;
}

function readLenientHead(bytes: Buffer): LenientHead | undefined {
  let start = 0;
  while (bytes[start] === 0x0d && bytes[start + 1] === 0x0a) start += 2;
  const blank = bytes.indexOf('\r\n\r\n', start);
  const text = bytes.subarray(start, blank < 0 ? bytes.length : blank).toString('utf8');
  const rawLines = text.split('\r\n');
  // Without a blank line the last line may be cut short: leave it out.
  if (blank < 0) rawLines.pop();
  const [startLine, ...headerLines] = rawLines;
  if (startLine === undefined) return undefined;
  const fields = new Map<CopiedHeader, string[]>();
  let last: { name: CopiedHeader; values: string[] } | undefined;
  for (const line of headerLines) {
    if (/^[ \t]/.test(line)) {
      // §7.3.1 folding: continues the previous line.
      const previous = last?.values.pop();
      if (last !== undefined && previous !== undefined) {
        last.values.push(`${previous} ${line.trim()}`);
      }
      continue;
    }
    last = undefined;
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const key = headerKey(line.slice(0, colon).trim());
    const name = COPIED.find((copied) => copied === key);
    if (name === undefined) continue;
    const values = fields.get(name) ?? [];
    values.push(line.slice(colon + 1).trim());
    fields.set(name, values);
    last = { name, values };
  }
  return { startLine, fields };
}

/** The client's Via stamped with received/rport when it parses, as received otherwise. */
function stampIfParsable(value: string, source: SipEndpoint): string {
  try {
    return serializeVia(stampTopVia(parseVia(value), source));
  } catch (error) {
    if (isSipParseError(error)) return value;
    throw error;
  }
}

/**
 * Reason-Phrase = *(reserved / unreserved / escaped / UTF8-NONASCII / UTF8-CONT / SP /
 * HTAB) (RFC 3261 §25.1): characters outside it (quotes, controls) are left out.
 */
function reasonPhrase(status: number, detail: string): string {
  const standard = STANDARD_REASONS[status] ?? 'Bad Request';
  const clean = detail
    .replace(/[^A-Za-z0-9;/?:@&=+$,\-_.!~*'() \u0080-\uffff]/g, '')
    .slice(0, 120)
    .trim();
  return clean === '' ? standard : `${standard} (${clean})`;
}

const DISPLAY_NAMES: Readonly<Record<CopiedHeader, string>> = {
  via: 'Via',
  from: 'From',
  to: 'To',
  'call-id': 'Call-ID',
  cseq: 'CSeq',
};

function displayName(name: CopiedHeader): string {
  return DISPLAY_NAMES[name];
}
