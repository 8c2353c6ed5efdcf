import { isIPv6 } from 'node:net';
import { escapePercent, unescapePercent } from './lexical.ts';
import { SipParseError } from './parse-error.ts';
import { parseTelUri, serializeTelUri, type TelUri } from './tel-uri.ts';

/**
 * SIP and SIPS URIs, RFC 3261 §19.1 and the §25.1 ABNF:
 *
 *   SIP-URI   =  "sip:" [ userinfo ] hostport uri-parameters [ headers ]
 *   userinfo  =  ( user / telephone-subscriber ) [ ":" password ] "@"
 *   user      =  1*( unreserved / escaped / user-unreserved )
 *   password  =  *( unreserved / escaped / "&" / "=" / "+" / "$" / "," )
 *   hostport  =  host [ ":" port ]
 *   host      =  hostname / IPv4address / IPv6reference
 *   uri-parameters = *( ";" uri-parameter )   ; pname [ "=" pvalue ]
 *   headers   =  "?" header *( "&" header )   ; hname "=" hvalue
 *
 * User, password, parameters and headers are held unescaped (§19.1.4 compares URIs after
 * unescaping); the serializer escapes again what the grammar does not allow bare.
 */
export interface SipUri {
  readonly kind: 'sip';
  readonly scheme: 'sip' | 'sips';
  readonly user: string | undefined;
  readonly password: string | undefined;
  /** A hostname, an IPv4 address or an IPv6 reference with its brackets: `[::1]`. */
  readonly host: string;
  readonly port: number | undefined;
  readonly params: readonly SipUriParam[];
  readonly headers: readonly SipUriHeader[];
}

export interface SipUriParam {
  readonly name: string;
  readonly value: string | undefined;
}

export interface SipUriHeader {
  readonly name: string;
  readonly value: string;
}

/** Any other absoluteURI (RFC 3261 §25.1), kept opaque: `mailto:`, `urn:`, `http:`… */
export interface AbsoluteUri {
  readonly kind: 'absolute';
  readonly scheme: string;
  readonly opaque: string;
}

export type Uri = SipUri | TelUri | AbsoluteUri;

const ESCAPED = '%[0-9A-Fa-f]{2}';
const UNRESERVED = "A-Za-z0-9\\-_.!~*'()";
const USER_RE = new RegExp(`^(?:[${UNRESERVED}&=+$,;?/]|${ESCAPED})+$`);
const PASSWORD_RE = new RegExp(`^(?:[${UNRESERVED}&=+$,]|${ESCAPED})*$`);
const PARAMCHARS_RE = new RegExp(`^(?:[${UNRESERVED}\\[\\]/:&+$]|${ESCAPED})+$`);
const HNAME_RE = new RegExp(`^(?:[${UNRESERVED}\\[\\]/?:+$]|${ESCAPED})+$`);
const HVALUE_RE = new RegExp(`^(?:[${UNRESERVED}\\[\\]/?:+$]|${ESCAPED})*$`);
const SCHEME_RE = /^[A-Za-z][A-Za-z0-9+\-.]*$/;
const LABEL = '[A-Za-z0-9](?:[A-Za-z0-9_-]*[A-Za-z0-9])?';
const HOSTNAME_RE = new RegExp(`^${LABEL}(?:\\.${LABEL})*\\.?$`);
const PORT_RE = /^[0-9]{1,5}$/;
// Opaque absoluteURI text: any visible ASCII except the delimiters that end a URI in a
// header (RFC 3261 §25.1 uric), so `<`, `>`, `"` and whitespace are refused.
const OPAQUE_RE = /^[A-Za-z0-9\-_.!~*'();/?:@&=+$,%[\]#]+$/;

/** Parses any URI a SIP message may carry: sip, sips, tel, or an opaque absoluteURI. */
export function parseUri(text: string): Uri {
  const colon = text.indexOf(':');
  const scheme = colon > 0 ? text.slice(0, colon) : '';
  if (!SCHEME_RE.test(scheme)) throw badUri(text, 'no scheme');
  const lower = scheme.toLowerCase();
  if (lower === 'sip' || lower === 'sips') return parseSipUri(text);
  if (lower === 'tel') return parseTelUri(text);
  const opaque = text.slice(colon + 1);
  if (!OPAQUE_RE.test(opaque)) throw badUri(text, 'characters not allowed in a URI');
  return { kind: 'absolute', scheme: lower, opaque };
}

export function parseSipUri(text: string): SipUri {
  const colon = text.indexOf(':');
  const scheme = text.slice(0, colon).toLowerCase();
  if (scheme !== 'sip' && scheme !== 'sips') throw badUri(text, 'not a sip or sips URI');
  let rest = text.slice(colon + 1);

  let user: string | undefined;
  let password: string | undefined;
  // userinfo cannot contain a bare "@" (it is neither unreserved nor user-unreserved), so
  // the first "@" ends it, whatever ";", "?" or ":" the user part holds (RFC 4475 §3.1.1.2).
  const at = rest.indexOf('@');
  if (at >= 0) {
    const userinfo = rest.slice(0, at);
    rest = rest.slice(at + 1);
    const passwordColon = userinfo.indexOf(':');
    const rawUser = passwordColon >= 0 ? userinfo.slice(0, passwordColon) : userinfo;
    if (!USER_RE.test(rawUser)) throw badUri(text, 'bad user part');
    user = unescapePercent(rawUser, 'URI user');
    if (passwordColon >= 0) {
      const rawPassword = userinfo.slice(passwordColon + 1);
      if (!PASSWORD_RE.test(rawPassword)) throw badUri(text, 'bad password');
      password = unescapePercent(rawPassword, 'URI password');
    }
  }

  const { host, port, remainder } = splitHostPort(rest, text);
  const question = remainder.indexOf('?');
  const paramText = question >= 0 ? remainder.slice(0, question) : remainder;
  const headerText = question >= 0 ? remainder.slice(question + 1) : undefined;
  if (paramText !== '' && !paramText.startsWith(';')) throw badUri(text, 'junk after host');

  const params: SipUriParam[] = [];
  for (const piece of paramText.split(';').slice(1)) {
    const equals = piece.indexOf('=');
    const rawName = equals >= 0 ? piece.slice(0, equals) : piece;
    const rawValue = equals >= 0 ? piece.slice(equals + 1) : undefined;
    if (!PARAMCHARS_RE.test(rawName)) throw badUri(text, 'bad parameter name');
    if (rawValue !== undefined && !PARAMCHARS_RE.test(rawValue))
      throw badUri(text, 'bad parameter value');
    params.push({
      name: unescapePercent(rawName, 'URI parameter'),
      value: rawValue === undefined ? undefined : unescapePercent(rawValue, 'URI parameter'),
    });
  }

  const headers: SipUriHeader[] = [];
  if (headerText !== undefined) {
    for (const piece of headerText.split('&')) {
      const equals = piece.indexOf('=');
      if (equals < 0) throw badUri(text, 'URI header without "="');
      const rawName = piece.slice(0, equals);
      const rawValue = piece.slice(equals + 1);
      if (!HNAME_RE.test(rawName) || !HVALUE_RE.test(rawValue))
        throw badUri(text, 'bad URI header');
      headers.push({
        name: unescapePercent(rawName, 'URI header'),
        value: unescapePercent(rawValue, 'URI header'),
      });
    }
  }
  return { kind: 'sip', scheme, user, password, host, port, params, headers };
}

function splitHostPort(
  rest: string,
  text: string,
): { host: string; port: number | undefined; remainder: string } {
  let host: string;
  let afterHost: string;
  if (rest.startsWith('[')) {
    const close = rest.indexOf(']');
    if (close < 0 || !isIPv6(rest.slice(1, close))) throw badUri(text, 'bad IPv6 reference');
    host = rest.slice(0, close + 1).toLowerCase();
    afterHost = rest.slice(close + 1);
  } else {
    const end = firstIndexOf(rest, ':;?');
    host = rest.slice(0, end).toLowerCase();
    if (!isValidHost(host)) throw badUri(text, 'bad host');
    afterHost = rest.slice(end);
  }
  if (!afterHost.startsWith(':')) return { host, port: undefined, remainder: afterHost };
  const end = firstIndexOf(afterHost, ';?');
  const portText = afterHost.slice(1, end);
  const port = Number(portText);
  if (!PORT_RE.test(portText) || port > 65535) throw badUri(text, 'bad port');
  return { host, port, remainder: afterHost.slice(end) };
}

/** host = hostname / IPv4address / IPv6reference (RFC 3261 §25.1); `_` tolerated in labels. */
export function isValidHost(host: string): boolean {
  if (host.startsWith('[')) return host.endsWith(']') && isIPv6(host.slice(1, -1));
  return HOSTNAME_RE.test(host);
}

function firstIndexOf(text: string, chars: string): number {
  for (let i = 0; i < text.length; i += 1) if (chars.includes(text[i] ?? '')) return i;
  return text.length;
}

/** RFC 3261 §19.1.1: a Request-URI must not carry headers (RFC 4475 §3.1.2.11). */
export function parseRequestUri(text: string): Uri {
  const uri = parseUri(text);
  if (uri.kind === 'sip' && uri.headers.length > 0)
    throw badUri(text, 'headers are not allowed in a Request-URI');
  return uri;
}

const USER_SAFE = new RegExp(`[${UNRESERVED}&=+$,;?/]`);
const PASSWORD_SAFE = new RegExp(`[${UNRESERVED}&=+$,]`);
const PARAM_SAFE = new RegExp(`[${UNRESERVED}\\[\\]/:&+$]`);
const HEADER_SAFE = new RegExp(`[${UNRESERVED}\\[\\]/?:+$]`);

export function serializeUri(uri: Uri): string {
  if (uri.kind === 'tel') return serializeTelUri(uri);
  if (uri.kind === 'absolute') return `${uri.scheme}:${uri.opaque}`;
  let text = `${uri.scheme}:`;
  if (uri.user !== undefined) {
    text += escapePercent(uri.user, USER_SAFE);
    if (uri.password !== undefined) text += `:${escapePercent(uri.password, PASSWORD_SAFE)}`;
    text += '@';
  }
  text += uri.host;
  if (uri.port !== undefined) text += `:${uri.port}`;
  for (const param of uri.params) {
    text += `;${escapePercent(param.name, PARAM_SAFE)}`;
    if (param.value !== undefined) text += `=${escapePercent(param.value, PARAM_SAFE)}`;
  }
  if (uri.headers.length > 0) {
    text += `?${uri.headers.map((h) => `${escapePercent(h.name, HEADER_SAFE)}=${escapePercent(h.value, HEADER_SAFE)}`).join('&')}`;
  }
  return text;
}

/** The value of the first URI parameter called `name` (case-insensitive, §19.1.4). */
export function getUriParam(uri: SipUri, name: string): string | undefined {
  const lower = name.toLowerCase();
  return uri.params.find((param) => param.name.toLowerCase() === lower)?.value;
}

export function hasUriParam(uri: SipUri, name: string): boolean {
  const lower = name.toLowerCase();
  return uri.params.some((param) => param.name.toLowerCase() === lower);
}

function badUri(text: string, reason: string): SipParseError {
  return new SipParseError('bad_uri', `${reason}: ${JSON.stringify(text)}`);
}
