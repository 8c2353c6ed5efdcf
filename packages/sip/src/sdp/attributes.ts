import { SdpParseError } from './errors.ts';
import {
  mediaDirections,
  type MediaDirection,
  type FmtpAttribute,
  type RtpmapAttribute,
  type SdpAttribute,
} from './types.ts';

/*
 * RFC 8866 §5.13 and §9 (ABNF):
 *
 *   attribute-fields = *(%s"a" "=" attribute CRLF)
 *   attribute        = (attribute-name ":" attribute-value) / attribute-name
 *   attribute-name   = token
 *   attribute-value  = byte-string
 *
 * §6.6:  a=rtpmap:<payload type> <encoding name>/<clock rate>[/<encoding parameters>]
 * §6.15: a=fmtp:<format> <format specific parameters>
 * §6.7:  a=recvonly / a=sendrecv / a=sendonly / a=inactive
 */

// RFC 8866 §9: token-char = ALPHA / DIGIT and !#$%&'*+-.^_`{|}~
const tokenPattern = /^[A-Za-z0-9!#$%&'*+\-.^_`{|}~]+$/;
const rtpmapPattern = /^(\d{1,3}) ([^\s/]+)\/(\d{1,9})(?:\/(\d{1,3}))?$/;
const fmtpPattern = /^(\S+) (.+)$/;

/** Parses the text after "a=". `line` is the 1-based line number for errors. */
export function parseAttribute(text: string, line: number): SdpAttribute {
  const colon = text.indexOf(':');
  const name = colon === -1 ? text : text.slice(0, colon);
  const value = colon === -1 ? undefined : text.slice(colon + 1);
  if (!tokenPattern.test(name)) {
    throw new SdpParseError('malformed_attribute', line, `attribute name "${name}" is not a token`);
  }
  if (value === undefined && isDirection(name)) return { kind: 'direction', direction: name };
  if (name === 'rtpmap') return parseRtpmap(value, line);
  if (name === 'fmtp') return parseFmtp(value, line);
  return value === undefined ? { kind: 'other', name } : { kind: 'other', name, value };
}

function parseRtpmap(value: string | undefined, line: number): SdpAttribute {
  const match = value === undefined ? null : rtpmapPattern.exec(value);
  const [, payloadType, encodingName, clockRate, encodingParameters] = match ?? [];
  if (payloadType === undefined || encodingName === undefined || clockRate === undefined) {
    throw new SdpParseError(
      'malformed_attribute',
      line,
      `a=rtpmap:${value ?? ''} is not "<payload type> <encoding name>/<clock rate>[/<channels>]"`,
    );
  }
  const pt = Number(payloadType);
  // RFC 3550 §5.1: the RTP payload type field is 7 bits.
  if (pt > 127) {
    throw new SdpParseError('malformed_attribute', line, `rtpmap payload type ${pt} exceeds 127`);
  }
  return {
    kind: 'rtpmap',
    payloadType: pt,
    encodingName,
    clockRate: Number(clockRate),
    ...(encodingParameters === undefined ? {} : { encodingParameters: Number(encodingParameters) }),
  };
}

function parseFmtp(value: string | undefined, line: number): SdpAttribute {
  const match = value === undefined ? null : fmtpPattern.exec(value);
  const [, format, parameters] = match ?? [];
  if (format === undefined || parameters === undefined) {
    throw new SdpParseError(
      'malformed_attribute',
      line,
      `a=fmtp:${value ?? ''} is not "<format> <parameters>"`,
    );
  }
  return { kind: 'fmtp', format, parameters };
}

/** The text after "a=" for an attribute. */
export function serializeAttribute(attribute: SdpAttribute): string {
  switch (attribute.kind) {
    case 'rtpmap': {
      const channels =
        attribute.encodingParameters === undefined ? '' : `/${attribute.encodingParameters}`;
      return `rtpmap:${attribute.payloadType} ${attribute.encodingName}/${attribute.clockRate}${channels}`;
    }
    case 'fmtp':
      return `fmtp:${attribute.format} ${attribute.parameters}`;
    case 'direction':
      return attribute.direction;
    case 'other':
      return attribute.value === undefined
        ? attribute.name
        : `${attribute.name}:${attribute.value}`;
  }
}

export function isDirection(name: string): name is MediaDirection {
  return (mediaDirections as readonly string[]).includes(name);
}

/**
 * The "key=value;key=value" form most fmtp lines use (RFC 4855 §3: names are
 * case-insensitive, so keys are lower-cased). A bare item such as telephone-event's
 * "0-16" (RFC 4733 §2.4.1) becomes a key with an empty value.
 */
export function parseFmtpParameters(parameters: string): Map<string, string> {
  const result = new Map<string, string>();
  for (const item of parameters.split(';')) {
    const trimmed = item.trim();
    if (trimmed === '') continue;
    const eq = trimmed.indexOf('=');
    if (eq === -1) result.set(trimmed.toLowerCase(), '');
    else result.set(trimmed.slice(0, eq).trim().toLowerCase(), trimmed.slice(eq + 1).trim());
  }
  return result;
}

/** The media-level attribute list's rtpmap for a payload type, if any. */
export function findRtpmap(
  attributes: readonly SdpAttribute[],
  payloadType: number,
): RtpmapAttribute | undefined {
  for (const a of attributes) if (a.kind === 'rtpmap' && a.payloadType === payloadType) return a;
  return undefined;
}

export function findFmtp(
  attributes: readonly SdpAttribute[],
  format: string,
): FmtpAttribute | undefined {
  for (const a of attributes) if (a.kind === 'fmtp' && a.format === format) return a;
  return undefined;
}

/** The value of the first a=<name>:<value> among attributes we do not interpret. */
export function findAttributeValue(
  attributes: readonly SdpAttribute[],
  name: string,
): string | undefined {
  for (const a of attributes) if (a.kind === 'other' && a.name === name) return a.value;
  return undefined;
}

export function hasFlag(attributes: readonly SdpAttribute[], name: string): boolean {
  return attributes.some((a) => a.kind === 'other' && a.name === name);
}
