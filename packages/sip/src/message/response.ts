import { randomBytes } from 'node:crypto';
import { SipHeaders } from './headers.ts';
import { SIP_VERSION, type SipRequest, type SipResponse } from './message.ts';
import { hasParam } from './params.ts';
import { parseNameAddr } from './name-addr.ts';

/** Reason phrases for the statuses Provod sends (RFC 3261 §21 and later RFCs). */
export const reasonPhrases: Readonly<Record<number, string>> = {
  100: 'Trying',
  180: 'Ringing',
  183: 'Session Progress',
  200: 'OK',
  202: 'Accepted',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  407: 'Proxy Authentication Required',
  408: 'Request Timeout',
  415: 'Unsupported Media Type',
  416: 'Unsupported URI Scheme',
  420: 'Bad Extension',
  423: 'Interval Too Brief',
  480: 'Temporarily Unavailable',
  481: 'Call/Transaction Does Not Exist',
  482: 'Loop Detected',
  483: 'Too Many Hops',
  486: 'Busy Here',
  487: 'Request Terminated',
  488: 'Not Acceptable Here',
  500: 'Server Internal Error',
  501: 'Not Implemented',
  503: 'Service Unavailable',
  505: 'Version Not Supported',
  513: 'Message Too Large',
  603: 'Decline',
};

/** A To tag: at least 32 bits of randomness (RFC 3261 §19.3). */
export function newTag(): string {
  return randomBytes(6).toString('hex');
}

/**
 * A response to `request` as RFC 3261 §8.2.6.2 builds one: Via (all, in order), From,
 * Call-ID and CSeq copied; To copied with a tag added when it has none (not on 100,
 * which is hop-by-hop); Content-Length 0 unless a body is given by the caller later.
 */
export function createResponse(
  request: SipRequest,
  status: number,
  options: { reason?: string; toTag?: string; headers?: readonly [string, string][] } = {},
): SipResponse {
  const headers = new SipHeaders();
  for (const via of request.headers.getLines('via')) headers.append('Via', via);
  const from = request.headers.get('from');
  if (from !== undefined) headers.append('From', from);
  const to = request.headers.get('to');
  if (to !== undefined) headers.append('To', withTag(to, status, options.toTag));
  const callId = request.headers.get('call-id');
  if (callId !== undefined) headers.append('Call-ID', callId);
  const cseq = request.headers.get('cseq');
  if (cseq !== undefined) headers.append('CSeq', cseq);
  for (const [name, value] of options.headers ?? []) headers.append(name, value);
  return {
    kind: 'response',
    version: SIP_VERSION,
    status,
    reason: options.reason ?? reasonPhrases[status] ?? '',
    headers,
    body: Buffer.alloc(0),
  };
}

function withTag(to: string, status: number, tag: string | undefined): string {
  if (status === 100 || hasParam(parseNameAddr(to).params, 'tag')) return to;
  return `${to};tag=${tag ?? newTag()}`;
}
