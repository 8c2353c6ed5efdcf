import { SdpParseError } from './errors.ts';
import type {
  MediaDescription,
  SdpBandwidth,
  SdpConnection,
  SdpOrigin,
  SdpTiming,
} from './types.ts';

/*
 * The structured lines of RFC 8866 §5, one parser each (ABNF from §9):
 *
 *   origin-field     = %s"o" "=" username SP sess-id SP sess-version SP nettype SP addrtype SP unicast-address
 *   connection-field = %s"c" "=" nettype SP addrtype SP connection-address
 *   bandwidth-field  = %s"b" "=" bwtype ":" bandwidth
 *   time-field       = %s"t" "=" start-time SP stop-time
 *   media-field      = %s"m" "=" media SP port ["/" integer] SP proto 1*(SP fmt)
 *
 * Runs of spaces between fields are tolerated; everything else off-grammar throws.
 */

const tokenPattern = /^[A-Za-z0-9!#$%&'*+\-.^_`{|}~]+$/;
const digits = /^\d+$/;

export function parseOrigin(value: string, lineNo: number): SdpOrigin {
  const fields = value.trim().split(/ +/);
  const [username, sessionId, sessionVersion, netType, addrType, unicastAddress] = fields;
  if (
    fields.length !== 6 ||
    username === undefined ||
    sessionId === undefined ||
    sessionVersion === undefined ||
    netType === undefined ||
    addrType === undefined ||
    unicastAddress === undefined
  ) {
    throw new SdpParseError(
      'malformed_origin',
      lineNo,
      'o= needs <username> <sess-id> <sess-version> <nettype> <addrtype> <unicast-address>',
    );
  }
  if (!digits.test(sessionVersion)) {
    throw new SdpParseError(
      'malformed_origin',
      lineNo,
      `sess-version "${clip(sessionVersion)}" is not a number`,
    );
  }
  return {
    username,
    sessionId,
    sessionVersion: BigInt(sessionVersion),
    netType,
    addrType,
    unicastAddress,
  };
}

/** c=<nettype> <addrtype> <connection-address>; §5.7: IP4 multicast "addr/ttl[/count]", IP6 "addr[/count]". */
export function parseConnection(value: string, lineNo: number): SdpConnection {
  const fields = value.trim().split(/ +/);
  const [netType, addrType, rawAddress] = fields;
  if (
    fields.length !== 3 ||
    netType === undefined ||
    addrType === undefined ||
    rawAddress === undefined
  ) {
    throw new SdpParseError(
      'malformed_connection',
      lineNo,
      'c= needs <nettype> <addrtype> <connection-address>',
    );
  }
  const [address = '', ...suffixes] = rawAddress.split('/');
  if (address === '' || suffixes.some((s) => !digits.test(s)) || suffixes.length > 2) {
    throw new SdpParseError(
      'malformed_connection',
      lineNo,
      `"${clip(rawAddress)}" is not a connection address`,
    );
  }
  const numbers = suffixes.map(Number);
  if (addrType === 'IP4' && numbers.length > 0) {
    const [ttl, addressCount] = numbers;
    return {
      netType,
      addrType,
      address,
      ttl,
      ...(addressCount === undefined ? {} : { addressCount }),
    };
  }
  if (numbers.length > 1) {
    throw new SdpParseError(
      'malformed_connection',
      lineNo,
      `"${clip(rawAddress)}": only IP4 carries a TTL`,
    );
  }
  const [addressCount] = numbers;
  return { netType, addrType, address, ...(addressCount === undefined ? {} : { addressCount }) };
}

export function parseBandwidth(value: string, lineNo: number): SdpBandwidth {
  const colon = value.indexOf(':');
  const type = value.slice(0, colon);
  const amount = value.slice(colon + 1).trim();
  if (colon === -1 || !tokenPattern.test(type) || !digits.test(amount)) {
    throw new SdpParseError('malformed_bandwidth', lineNo, 'b= needs <bwtype>:<bandwidth>');
  }
  return { type, value: Number(amount) };
}

export function parseTiming(value: string, lineNo: number): SdpTiming {
  const fields = value.trim().split(/ +/);
  const [start, stop] = fields;
  if (
    fields.length !== 2 ||
    start === undefined ||
    stop === undefined ||
    !digits.test(start) ||
    !digits.test(stop)
  ) {
    throw new SdpParseError(
      'malformed_timing',
      lineNo,
      't= needs <start-time> <stop-time> as numbers',
    );
  }
  return { start: Number(start), stop: Number(stop), repeats: [] };
}

export function parseMediaField(value: string, lineNo: number): MediaDescription {
  const fields = value.trim().split(/ +/);
  const [type, portField, protocol, ...formats] = fields;
  if (
    type === undefined ||
    portField === undefined ||
    protocol === undefined ||
    formats.length === 0
  ) {
    throw new SdpParseError('malformed_media', lineNo, 'm= needs <media> <port> <proto> <fmt> ...');
  }
  if (!tokenPattern.test(type)) {
    throw new SdpParseError('malformed_media', lineNo, `media type "${clip(type)}" is not a token`);
  }
  const [portText = '', countText, ...rest] = portField.split('/');
  const port = Number(portText);
  if (!digits.test(portText) || port > 65535 || rest.length > 0) {
    throw new SdpParseError(
      'malformed_media',
      lineNo,
      `port "${clip(portField)}" is not a number from 0 to 65535`,
    );
  }
  if (countText !== undefined && !digits.test(countText)) {
    throw new SdpParseError(
      'malformed_media',
      lineNo,
      `port count "${clip(countText)}" is not a number`,
    );
  }
  if (!/^[A-Za-z0-9/_.-]+$/.test(protocol)) {
    throw new SdpParseError(
      'malformed_media',
      lineNo,
      `"${clip(protocol)}" is not a transport protocol`,
    );
  }
  // RFC 8866 §5.14: for RTP profiles each <fmt> is an RTP payload type number (7 bits).
  if (protocol.split('/').includes('RTP')) {
    const bad = formats.find((f) => !digits.test(f) || Number(f) > 127);
    if (bad !== undefined) {
      throw new SdpParseError(
        'malformed_media',
        lineNo,
        `"${clip(bad)}" is not an RTP payload type (0–127)`,
      );
    }
  }
  return {
    type,
    port,
    ...(countText === undefined ? {} : { portCount: Number(countText) }),
    protocol,
    formats,
    bandwidths: [],
    attributes: [],
  };
}

/** Keeps error messages short when a peer sends a very long garbage line. */
export function clip(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
