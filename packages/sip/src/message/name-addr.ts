import { ValueScanner, isToken, quoteString } from './lexical.ts';
import { SipParseError } from './parse-error.ts';
import { readParams, serializeParams, type SipParam } from './params.ts';
import { parseUri, serializeUri, type Uri } from './uri.ts';

/**
 * From, To, Contact, Route, Record-Route, Reply-To… (RFC 3261 §20, §25.1):
 *
 *   ( name-addr / addr-spec ) *( SEMI param )
 *   name-addr    =  [ display-name ] LAQUOT addr-spec RAQUOT
 *   display-name =  *(token LWS) / quoted-string
 *   LAQUOT = SWS "<"     RAQUOT = ">" SWS
 *
 * In the addr-spec form the URI ends at the first ";" — what follows are header
 * parameters, not URI parameters — and the URI may not contain "," or "?" (§20,
 * RFC 4475 §3.1.2.13). Inside the brackets no whitespace is allowed (§3.1.2.14).
 */
export interface NameAddr {
  /** Unquoted and unescaped; token display names are joined by single spaces. */
  readonly displayName: string | undefined;
  readonly uri: Uri;
  /** Header parameters (tag, expires, q…), values as received. */
  readonly params: readonly SipParam[];
}

export function parseNameAddr(value: string): NameAddr {
  const scanner = new ValueScanner(value);
  scanner.skipWhitespace();
  let displayName: string | undefined;
  let bracketed = false;

  if (scanner.peek() === '"') {
    displayName = scanner.readQuotedString().value;
    bracketed = true;
  } else {
    const words = readTokenWords(scanner);
    if (scanner.peek() === '<') {
      displayName = words.length > 0 ? words.join(' ') : undefined;
      bracketed = true;
    } else {
      scanner.reset();
      scanner.skipWhitespace();
    }
  }

  let uriText: string;
  if (bracketed) {
    scanner.expect('<', 'before the URI');
    uriText = scanner.readUntil('>');
    if (scanner.peek() !== '>') scanner.fail('unterminated <URI>');
    scanner.expect('>', 'after the URI');
  } else {
    uriText = scanner.readUntil(' \t;');
    if (uriText.includes(',') || uriText.includes('?')) {
      throw new SipParseError(
        'bad_header',
        `a URI with "," or "?" must be in <>: ${JSON.stringify(value)}`,
      );
    }
  }
  const uri = parseUri(uriText);
  const params = readParams(scanner, 'name-addr');
  scanner.skipWhitespace();
  if (!scanner.atEnd()) scanner.fail('junk after name-addr');
  return { displayName, uri, params };
}

/** Reads `*(token LWS)` display-name words, stopping at anything that is not a token. */
function readTokenWords(scanner: ValueScanner): string[] {
  const words: string[] = [];
  for (;;) {
    scanner.skipWhitespace();
    const next = scanner.peek();
    if (next === undefined || next === '<' || !isToken(next)) return words;
    words.push(scanner.readToken('display name'));
  }
}

const TOKEN_WORDS_RE = /^[A-Za-z0-9\-.!%*_+`'~]+(?: [A-Za-z0-9\-.!%*_+`'~]+)*$/;

/** Always writes the name-addr form, so URI parameters never turn into header ones. */
export function serializeNameAddr(nameAddr: NameAddr): string {
  let text = '';
  if (nameAddr.displayName !== undefined && nameAddr.displayName !== '') {
    text += TOKEN_WORDS_RE.test(nameAddr.displayName)
      ? nameAddr.displayName
      : quoteString(nameAddr.displayName);
    text += ' ';
  }
  return `${text}<${serializeUri(nameAddr.uri)}>${serializeParams(nameAddr.params)}`;
}
