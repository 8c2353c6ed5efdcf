import { DTMF_DIGITS, parseDtmfDigit, type DtmfDigit } from './digits.ts';
import { DtmfError } from './dtmf-error.ts';

/** A key press carried in a SIP INFO request body. */
export interface SipInfoDtmf {
  readonly digit: DtmfDigit;
  /** Milliseconds, when the body says (application/dtmf-relay's Duration). */
  readonly durationMs: number | undefined;
}

/**
 * `application/dtmf-relay` (Cisco's format, not an RFC; widely sent by phones and SBCs):
 *
 *     Signal=5\r\n
 *     Duration=160\r\n
 *
 * Keys are case-insensitive and whitespace around `=` is tolerated. Signal is the key;
 * some devices send the RFC 4733 event code instead (10 for *, 11 for #, 12–15 for A–D),
 * which we accept too. Duration is in milliseconds and optional.
 */
export function parseDtmfRelayBody(body: string): SipInfoDtmf {
  const fields = new Map<string, string>();
  for (const line of body.split(/\r?\n/)) {
    if (line.trim() === '') continue;
    const equals = line.indexOf('=');
    if (equals < 0) throw new DtmfError('malformed_body', `dtmf-relay line "${line}" has no "="`);
    fields.set(line.slice(0, equals).trim().toLowerCase(), line.slice(equals + 1).trim());
  }
  const signal = fields.get('signal');
  if (signal === undefined || signal === '') {
    throw new DtmfError('malformed_body', 'dtmf-relay body has no Signal');
  }
  const duration = fields.get('duration');
  if (duration !== undefined && !/^\d{1,6}$/.test(duration)) {
    throw new DtmfError('malformed_body', `dtmf-relay Duration "${duration}" is not milliseconds`);
  }
  return {
    digit: signalToDigit(signal),
    durationMs: duration === undefined ? undefined : Number(duration),
  };
}

function signalToDigit(signal: string): DtmfDigit {
  if (/^1[0-5]$/.test(signal)) {
    const digit = DTMF_DIGITS[Number(signal)];
    if (digit !== undefined) return digit;
  }
  return parseDtmfDigit(signal);
}

/** `application/dtmf`: the body is the key itself ("5"), optionally followed by a newline. */
export function parseDtmfBody(body: string): SipInfoDtmf {
  return { digit: parseDtmfDigit(body), durationMs: undefined };
}

/**
 * The key press in a SIP INFO request, chosen by its Content-Type (RFC 3261 §20.15: the
 * type is case-insensitive and may carry parameters). Other types are refused, so the
 * caller can answer 415 Unsupported Media Type.
 */
export function parseSipInfoDtmf(contentType: string, body: string): SipInfoDtmf {
  const type = (contentType.split(';')[0] ?? '').trim().toLowerCase();
  if (type === 'application/dtmf-relay') return parseDtmfRelayBody(body);
  if (type === 'application/dtmf') return parseDtmfBody(body);
  throw new DtmfError('unsupported_content_type', `INFO body of type "${type}" carries no DTMF`);
}
