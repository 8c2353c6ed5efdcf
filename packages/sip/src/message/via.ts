import { isIP } from 'node:net';
import { ValueScanner } from './lexical.ts';
import { getParam, hasParam, readParams, serializeParams, type SipParam } from './params.ts';
import { isValidHost } from './uri.ts';

/**
 * One Via value (RFC 3261 §20.42, §25.1; rport from RFC 3581 §3):
 *
 *   via-parm       =  sent-protocol LWS sent-by *( SEMI via-params )
 *   sent-protocol  =  protocol-name SLASH protocol-version SLASH transport
 *   sent-by        =  host [ COLON port ]
 *   via-params     =  via-ttl / via-maddr / via-received / via-branch
 *                     / response-port / via-extension
 *   via-received   =  "received" EQUAL (IPv4address / IPv6address)
 *   response-port  =  "rport" [EQUAL 1*DIGIT]
 *
 * SLASH, COLON, SEMI and EQUAL all allow whitespace around them (RFC 4475 §3.1.1.1).
 */
export interface Via {
  readonly protocolName: string;
  readonly protocolVersion: string;
  /** Upper-cased: UDP, TCP, TLS, SCTP, WS, WSS, or an extension token. */
  readonly transport: string;
  readonly host: string;
  readonly port: number | undefined;
  readonly params: readonly SipParam[];
  readonly branch: string | undefined;
  readonly received: string | undefined;
  /** RFC 3581: `true` when the client asked for rport (no value), the number once filled. */
  readonly rport: number | true | undefined;
}

const DIGITS_RE = /^[0-9]{1,5}$/;

export function parseVia(value: string): Via {
  const scanner = new ValueScanner(value);
  scanner.skipWhitespace();
  const protocolName = scanner.readToken('Via protocol name');
  scanner.expect('/', 'in Via sent-protocol');
  const protocolVersion = scanner.readToken('Via protocol version');
  scanner.expect('/', 'in Via sent-protocol');
  const transport = scanner.readToken('Via transport').toUpperCase();

  const beforeSpace = scanner.offset;
  scanner.skipWhitespace();
  if (scanner.offset === beforeSpace) scanner.fail('expected whitespace before Via sent-by');
  const host = readHost(scanner);
  let port: number | undefined;
  if (scanner.eat(':')) port = readPort(scanner, scanner.readUntil(' \t;,'));

  const params = readParams(scanner, 'Via');
  scanner.skipWhitespace();
  if (!scanner.atEnd()) scanner.fail('junk after Via');

  const received = getParam(params, 'received');
  if (hasParam(params, 'received') && (received === undefined || isIP(received) === 0)) {
    scanner.fail('Via received is not an IP address');
  }
  const branch = getParam(params, 'branch');
  if (hasParam(params, 'branch') && branch === undefined)
    scanner.fail('Via branch without a value');
  let rport: number | true | undefined;
  if (hasParam(params, 'rport')) {
    const rportText = getParam(params, 'rport');
    rport = rportText === undefined ? true : readPort(scanner, rportText);
  }
  return { protocolName, protocolVersion, transport, host, port, params, branch, received, rport };
}

function readHost(scanner: ValueScanner): string {
  const host = scanner.peek() === '[' ? `${scanner.readUntil(']')}]` : scanner.readUntil(' \t:;,');
  if (host.startsWith('[')) scanner.expect(']', 'closing IPv6 reference');
  if (!isValidHost(host.toLowerCase())) scanner.fail('bad Via sent-by host');
  return host.toLowerCase();
}

function readPort(scanner: ValueScanner, text: string): number {
  const port = Number(text);
  if (!DIGITS_RE.test(text) || port > 65535) scanner.fail('bad port');
  return port;
}

export function serializeVia(via: Via): string {
  const sentBy = via.port === undefined ? via.host : `${via.host}:${via.port}`;
  return `${via.protocolName}/${via.protocolVersion}/${via.transport} ${sentBy}${serializeParams(via.params)}`;
}

/** RFC 3261 §8.1.1.7: a branch starting with the magic cookie marks an RFC 3261 client. */
export const BRANCH_MAGIC_COOKIE = 'z9hG4bK';

export function isRfc3261Branch(via: Via): boolean {
  return via.branch?.startsWith(BRANCH_MAGIC_COOKIE) ?? false;
}
