import { SipParseError, type SipParseErrorCode } from './parse-error.ts';

/**
 * RFC 3261 §25.1 basic rules shared by every structured-header parser:
 *
 *   token       =  1*(alphanum / "-" / "." / "!" / "%" / "*"
 *                  / "_" / "+" / "`" / "'" / "~" )
 *   quoted-string  =  SWS DQUOTE *(qdtext / quoted-pair ) DQUOTE
 *   qdtext         =  LWS / %x21 / %x23-5B / %x5D-7E / UTF8-NONASCII
 *   quoted-pair    =  "\" (%x00-09 / %x0B-0C / %x0E-7F)
 *   escaped        =  "%" HEXDIG HEXDIG
 *
 * Header values reach these parsers already unfolded (§7.3.1), so LWS is plain SP / HTAB.
 */
export const TOKEN_RE = /^[A-Za-z0-9\-.!%*_+`'~]+$/;
const TOKEN_CHAR_RE = /[A-Za-z0-9\-.!%*_+`'~]/;

export function isToken(text: string): boolean {
  return TOKEN_RE.test(text);
}

/** Trims SP and HTAB only: String.prototype.trim would also eat U+FEFF and friends. */
export function trimWhitespace(text: string): string {
  return text.replace(/^[ \t]+|[ \t]+$/g, '');
}

export function isWhitespace(char: string | undefined): boolean {
  return char === ' ' || char === '\t';
}

/** A cursor over one header value; every read either advances or throws. */
export class ValueScanner {
  private position = 0;

  constructor(
    readonly text: string,
    private readonly errorCode: SipParseErrorCode = 'bad_header',
  ) {}

  get offset(): number {
    return this.position;
  }

  /** Back to the start, for parsers that try one reading of the value and then another. */
  reset(): void {
    this.position = 0;
  }

  atEnd(): boolean {
    return this.position >= this.text.length;
  }

  peek(): string | undefined {
    return this.text[this.position];
  }

  rest(): string {
    return this.text.slice(this.position);
  }

  skipWhitespace(): void {
    while (isWhitespace(this.text[this.position])) this.position += 1;
  }

  /** Consumes `char` (after optional whitespace) if it is next; SWS char SWS. */
  eat(char: string): boolean {
    const start = this.position;
    this.skipWhitespace();
    if (this.text[this.position] === char) {
      this.position += 1;
      this.skipWhitespace();
      return true;
    }
    this.position = start;
    return false;
  }

  expect(char: string, what: string): void {
    if (!this.eat(char)) this.fail(`expected ${JSON.stringify(char)} ${what}`);
  }

  readToken(what: string): string {
    const start = this.position;
    while (this.position < this.text.length && TOKEN_CHAR_RE.test(this.text[this.position] ?? '')) {
      this.position += 1;
    }
    if (this.position === start) this.fail(`expected a token for ${what}`);
    return this.text.slice(start, this.position);
  }

  /** Reads up to (not including) the first of `stops`, or to the end. */
  readUntil(stops: string): string {
    const start = this.position;
    while (this.position < this.text.length && !stops.includes(this.text[this.position] ?? '')) {
      this.position += 1;
    }
    return this.text.slice(start, this.position);
  }

  /** Reads a quoted-string at the cursor; returns the raw text (with quotes) and the value. */
  readQuotedString(): { raw: string; value: string } {
    const start = this.position;
    if (this.text[this.position] !== '"') this.fail('expected a quoted string');
    this.position += 1;
    let value = '';
    for (;;) {
      const char = this.text[this.position];
      if (char === undefined) this.fail('unterminated quoted string');
      this.position += 1;
      if (char === '"') break;
      if (char === '\\') {
        const escaped = this.text[this.position];
        // quoted-pair excludes CR and LF (%x0A, %x0D).
        if (escaped === undefined || escaped === '\r' || escaped === '\n') {
          this.fail('bad quoted-pair in quoted string');
        }
        value += escaped;
        this.position += 1;
      } else {
        value += char;
      }
    }
    return { raw: this.text.slice(start, this.position), value };
  }

  fail(message: string): never {
    throw new SipParseError(
      this.errorCode,
      `${message} at ${this.position} in ${JSON.stringify(this.text)}`,
    );
  }
}

const HEX_PAIR_RE = /^[0-9A-Fa-f]{2}$/;

/**
 * RFC 3261 §19.1.2 / §25.1: decodes `escaped` octets; the result is read as UTF-8 (§19.1.4
 * compares URIs after unescaping). A `%` not followed by two hex digits is malformed.
 */
export function unescapePercent(text: string, what: string): string {
  if (!text.includes('%')) return text;
  const bytes: number[] = [];
  for (let i = 0; i < text.length;) {
    const char = text[i] ?? '';
    if (char === '%') {
      const pair = text.slice(i + 1, i + 3);
      if (!HEX_PAIR_RE.test(pair)) {
        throw new SipParseError('bad_uri', `bad %-escape in ${what}: ${JSON.stringify(text)}`);
      }
      bytes.push(Number.parseInt(pair, 16));
      i += 3;
    } else {
      const code = text.codePointAt(i) ?? 0;
      const chunk = String.fromCodePoint(code);
      bytes.push(...Buffer.from(chunk, 'utf8'));
      i += chunk.length;
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** Escapes every character outside `allowed` (a regex for one safe character) as %XX. */
export function escapePercent(text: string, allowed: RegExp): string {
  let out = '';
  for (const char of text) {
    if (allowed.test(char)) {
      out += char;
    } else {
      for (const byte of Buffer.from(char, 'utf8')) {
        out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
      }
    }
  }
  return out;
}

/** Quotes `value` as a quoted-string, escaping `"` and `\` (RFC 3261 §25.1 quoted-pair). */
export function quoteString(value: string): string {
  return `"${value.replace(/["\\]/g, (char) => `\\${char}`)}"`;
}
