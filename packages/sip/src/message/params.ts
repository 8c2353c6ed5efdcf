import { type ValueScanner } from './lexical.ts';

/**
 * A header parameter (RFC 3261 §25.1):
 *
 *   generic-param  =  token [ EQUAL gen-value ]
 *   gen-value      =  token / host / quoted-string
 *
 * `value` is the text as received: a quoted-string keeps its quotes (so it round-trips and
 * a caller can tell `"x"` from `x`), `undefined` means the parameter had no `=`.
 */
export interface SipParam {
  readonly name: string;
  readonly value: string | undefined;
}

/** Reads `*( SEMI generic-param )` at the cursor, stopping before a `,` or the end. */
export function readParams(scanner: ValueScanner, what: string): SipParam[] {
  const params: SipParam[] = [];
  while (scanner.eat(';')) {
    const name = scanner.readToken(`${what} parameter name`);
    let value: string | undefined;
    if (scanner.eat('=')) value = readGenValue(scanner, `${what} parameter ${name}`);
    params.push({ name, value });
    scanner.skipWhitespace();
  }
  return params;
}

function readGenValue(scanner: ValueScanner, what: string): string {
  const next = scanner.peek();
  if (next === '"') return scanner.readQuotedString().raw;
  if (next === '[') {
    // An IPv6reference host (RFC 3261 §25.1 gen-value = host).
    const start = scanner.offset;
    const body = scanner.readUntil(']');
    if (scanner.peek() !== ']') scanner.fail(`unterminated IPv6 reference in ${what}`);
    scanner.expect(']', `closing ${what}`);
    return scanner.text.slice(start, start + body.length + 1);
  }
  const value = scanner.readToken(what);
  // An unbracketed IPv6address is a legal value of Via received (RFC 3261 §20.42).
  return scanner.peek() === ':' ? value + scanner.readUntil(' \t;,') : value;
}

/** The value of the first parameter called `name` (case-insensitive, RFC 3261 §7.3.1). */
export function getParam(params: readonly SipParam[], name: string): string | undefined {
  const lower = name.toLowerCase();
  return params.find((param) => param.name.toLowerCase() === lower)?.value;
}

export function hasParam(params: readonly SipParam[], name: string): boolean {
  const lower = name.toLowerCase();
  return params.some((param) => param.name.toLowerCase() === lower);
}

export function serializeParams(params: readonly SipParam[]): string {
  return params
    .map((param) =>
      param.value === undefined ? `;${param.name}` : `;${param.name}=${param.value}`,
    )
    .join('');
}
