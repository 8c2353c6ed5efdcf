import { DigestError } from './digest-error.ts';

/*
 * The generic auth-param list that carries Digest challenges and credentials, RFC 3261 §25.1
 * (the same shape as RFC 7235 §2.1 / RFC 7616 §3.3–3.4, without HTTP's token68 form):
 *
 *   challenge       =  ("Digest" LWS digest-cln *(COMMA digest-cln)) / other-challenge
 *   credentials     =  ("Digest" LWS digest-response) / other-response
 *   other-challenge =  auth-scheme LWS auth-param *(COMMA auth-param)
 *   auth-param      =  auth-param-name EQUAL ( token / quoted-string )
 *   auth-param-name =  token
 *   auth-scheme     =  token
 *
 *   COMMA  =  SWS "," SWS          EQUAL  =  SWS "=" SWS
 *   LWS    =  [*WSP CRLF] 1*WSP    SWS    =  [LWS]
 *   token  =  1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~")
 *   quoted-string  =  SWS DQUOTE *(qdtext / quoted-pair ) DQUOTE
 *   qdtext         =  LWS / %x21 / %x23-5B / %x5D-7E / UTF8-NONASCII
 *   quoted-pair    =  "\" (%x00-09 / %x0B-0C / %x0E-7F)
 *
 * This layer works on one header field value (a string), not on a whole message.
 */

/** One auth-param: the name lower-cased (RFC 7616 §3.3: names are case-insensitive). */
export interface AuthParam {
  readonly name: string;
  /** The value with quoted-pairs resolved and the quotes removed. */
  readonly value: string;
  /** Whether the value came as a quoted-string (some fields must be, RFC 3261 §25.1). */
  readonly quoted: boolean;
}

export interface AuthParams {
  /** The auth-scheme as written; compare it case-insensitively (RFC 7235 §2.1). */
  readonly scheme: string;
  /** Parameters by lower-case name, in the order they came. */
  readonly params: ReadonlyMap<string, AuthParam>;
}

const TOKEN_CHAR = /^[A-Za-z0-9\-.!%*_+`'~]$/;
const TOKEN = /^[A-Za-z0-9\-.!%*_+`'~]+$/;

export function isToken(text: string): boolean {
  return TOKEN.test(text);
}

/**
 * Parses `scheme param=value, param="value", …`. When `requiredScheme` is given, any other
 * scheme is refused with `unsupported_scheme` before its parameters are looked at (a
 * `Basic` credential has no auth-params to parse).
 */
export function parseAuthParams(value: string, requiredScheme?: string): AuthParams {
  const reader = new Reader(value);
  reader.skipWhitespace();
  const scheme = reader.readToken('auth-scheme');
  if (requiredScheme !== undefined && scheme.toLowerCase() !== requiredScheme.toLowerCase()) {
    throw new DigestError(
      'unsupported_scheme',
      `auth-scheme ${scheme} is not ${requiredScheme}`,
      undefined,
      0,
    );
  }
  // RFC 3261 §25.1: the scheme and the first auth-param are separated by LWS (not SWS).
  if (!reader.skipWhitespace()) reader.fail('expected whitespace after the auth-scheme');
  const params = new Map<string, AuthParam>();
  for (;;) {
    const start = reader.offset;
    const name = reader.readToken('auth-param name').toLowerCase();
    reader.skipWhitespace();
    reader.expect('=');
    reader.skipWhitespace();
    const param =
      reader.peek() === '"'
        ? { name, value: reader.readQuotedString(), quoted: true }
        : { name, value: reader.readToken(`value of ${name}`), quoted: false };
    if (params.has(name)) {
      throw new DigestError('duplicate_parameter', `parameter ${name} appears twice`, name, start);
    }
    params.set(name, param);
    reader.skipWhitespace();
    if (reader.atEnd()) break;
    reader.expect(',');
    reader.skipWhitespace();
  }
  return { scheme, params };
}

/** A parameter to write: quoted-string or token, as the grammar of that field demands. */
export interface AuthParamOut {
  readonly name: string;
  readonly value: string;
  readonly quoted: boolean;
}

/** Serialises `scheme name=value, name="value"`; the inverse of `parseAuthParams`. */
export function formatAuthParams(scheme: string, params: readonly AuthParamOut[]): string {
  if (!isToken(scheme)) throw unencodable('auth-scheme', scheme);
  const parts = params.map((param) => {
    if (!isToken(param.name)) throw unencodable(param.name, param.name);
    return `${param.name}=${param.quoted ? quoteString(param.name, param.value) : tokenValue(param)}`;
  });
  return `${scheme} ${parts.join(', ')}`;
}

function tokenValue(param: AuthParamOut): string {
  if (!isToken(param.value)) throw unencodable(param.name, param.value);
  return param.value;
}

/** RFC 3261 §25.1 quoted-string: `"` and `\` escaped; control characters cannot be sent. */
function quoteString(name: string, value: string): string {
  let out = '"';
  for (const char of value) {
    const code = char.codePointAt(0) ?? 0;
    if ((code < 0x20 && char !== '\t') || code === 0x7f) throw unencodable(name, value);
    out += char === '"' || char === '\\' ? `\\${char}` : char;
  }
  return `${out}"`;
}

function unencodable(name: string, value: string): DigestError {
  return new DigestError(
    'unencodable_value',
    `${name} cannot be written into a header: ${JSON.stringify(value)}`,
    name,
  );
}

/** A cursor over one header value; every failure names the offset it stopped at. */
class Reader {
  offset = 0;
  constructor(private readonly text: string) {}

  atEnd(): boolean {
    return this.offset >= this.text.length;
  }

  peek(): string | undefined {
    return this.text[this.offset];
  }

  fail(what: string): never {
    const found = this.atEnd() ? 'end of value' : JSON.stringify(this.peek());
    throw new DigestError(
      'malformed',
      `${what} at offset ${this.offset}, found ${found}`,
      undefined,
      this.offset,
    );
  }

  expect(char: string): void {
    if (this.peek() !== char) this.fail(`expected "${char}"`);
    this.offset += 1;
  }

  /** Skips SWS, including a folded line (CRLF followed by WSP); says whether it moved. */
  skipWhitespace(): boolean {
    const start = this.offset;
    for (;;) {
      const char = this.peek();
      if (char === ' ' || char === '\t') {
        this.offset += 1;
      } else if (
        char === '\r' &&
        this.text[this.offset + 1] === '\n' &&
        isWsp(this.text[this.offset + 2])
      ) {
        this.offset += 3;
      } else {
        return this.offset > start;
      }
    }
  }

  readToken(what: string): string {
    const start = this.offset;
    while (!this.atEnd() && TOKEN_CHAR.test(this.peek() ?? '')) this.offset += 1;
    if (this.offset === start) this.fail(`expected ${what} (a token)`);
    return this.text.slice(start, this.offset);
  }

  readQuotedString(): string {
    this.expect('"');
    let out = '';
    for (;;) {
      const char = this.peek();
      if (char === undefined) this.fail('unterminated quoted-string');
      const code = char.charCodeAt(0);
      if (char === '"') {
        this.offset += 1;
        return out;
      } else if (char === '\\') {
        // quoted-pair: any octet but CR and LF may be escaped.
        const escaped = this.text[this.offset + 1];
        if (escaped === undefined || escaped === '\r' || escaped === '\n') {
          this.offset += 1;
          this.fail('invalid quoted-pair');
        }
        out += escaped;
        this.offset += 2;
      } else if (char === '\r') {
        // qdtext allows LWS, so a folded line inside quotes stands for its whitespace.
        if (this.text[this.offset + 1] !== '\n' || !isWsp(this.text[this.offset + 2])) {
          this.fail('bare CR in quoted-string');
        }
        this.offset += 2;
      } else if ((code < 0x20 && char !== '\t') || code === 0x7f) {
        this.fail('control character in quoted-string');
      } else {
        out += char;
        this.offset += 1;
      }
    }
  }
}

function isWsp(char: string | undefined): boolean {
  return char === ' ' || char === '\t';
}
