import { SipParseError } from './parse-error.ts';
import { TOKEN_RE, trimWhitespace } from './lexical.ts';

/**
 * The numeric and small fixed-shape headers (RFC 3261 §20, §25.1). Each returns a value or
 * throws SipParseError('bad_header'); out-of-range numbers are errors, not clamped
 * (RFC 4475 §3.1.2.4 and §3.1.2.5 list exactly these overflows).
 */
const MAX_UINT32 = 2 ** 32 - 1;
const DIGITS_RE = /^[0-9]+$/;

export interface CSeq {
  readonly seq: number;
  readonly method: string;
}

/** CSeq = 1*DIGIT LWS Method (§20.16); the number fits 32 bits (§8.1.1.5, RFC 4475 §3.1.2.4). */
export function parseCSeq(value: string): CSeq {
  const match = /^[ \t]*([0-9]+)[ \t]+(\S+)[ \t]*$/.exec(value);
  const [, digits = '', method = ''] = match ?? [];
  if (!match || !TOKEN_RE.test(method)) throw badHeader('CSeq', value);
  return { seq: readUnsigned('CSeq', digits, MAX_UINT32), method };
}

export function serializeCSeq(cseq: CSeq): string {
  return `${cseq.seq} ${cseq.method}`;
}

/** Content-Length = 1*DIGIT (§20.14); a negative one is malformed (RFC 4475 §3.1.2.3). */
export function parseContentLength(value: string): number {
  const text = trimWhitespace(value);
  if (!DIGITS_RE.test(text)) {
    throw new SipParseError('bad_content_length', `bad Content-Length: ${JSON.stringify(value)}`);
  }
  const length = Number(text);
  if (!Number.isSafeInteger(length)) {
    throw new SipParseError(
      'bad_content_length',
      `Content-Length out of range: ${JSON.stringify(value)}`,
    );
  }
  return length;
}

/** Max-Forwards = 1*DIGIT, 0-255 (§20.22, RFC 4475 §3.1.2.4). */
export function parseMaxForwards(value: string): number {
  return readUnsigned('Max-Forwards', trimWhitespace(value), 255);
}

/** Expires = delta-seconds, 0 to 2**32-1 (§20.19); also the Contact `expires` parameter. */
export function parseExpires(value: string): number {
  return readUnsigned('Expires', trimWhitespace(value), MAX_UINT32);
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DATE_RE = /^(\w{3}), (\d{2}) (\w{3}) (\d{4}) (\d{2}):(\d{2}):(\d{2}) GMT$/;

/**
 * Date = SIP-date = rfc1123-date (§20.17, §25.1): `Sat, 13 Nov 2010 23:29:00 GMT`;
 * only GMT is allowed (RFC 4475 §3.1.2.12).
 */
export function parseDate(value: string): Date {
  const match = DATE_RE.exec(trimWhitespace(value));
  if (!match) throw badHeader('Date', value);
  const [, weekday = '', day = '', month = '', year = '', hour = '', minute = '', second = ''] =
    match;
  const monthIndex = MONTHS.indexOf(month);
  if (!WEEKDAYS.includes(weekday) || monthIndex < 0) throw badHeader('Date', value);
  const date = new Date(
    Date.UTC(Number(year), monthIndex, Number(day), Number(hour), Number(minute), Number(second)),
  );
  if (Number.isNaN(date.getTime()) || date.getUTCDate() !== Number(day) || Number(hour) > 23) {
    throw badHeader('Date', value);
  }
  return date;
}

export function serializeDate(date: Date): string {
  // toUTCString is exactly rfc1123-date in GMT.
  return date.toUTCString();
}

function readUnsigned(header: string, text: string, max: number): number {
  if (!DIGITS_RE.test(text)) throw badHeader(header, text);
  const value = Number(text);
  if (value > max) throw new SipParseError('bad_header', `${header} out of range: ${text}`);
  return value;
}

function badHeader(header: string, value: string): SipParseError {
  return new SipParseError('bad_header', `bad ${header}: ${JSON.stringify(value)}`);
}
