import { createResponse } from '../message/response.ts';
import {
  SIP_VERSION,
  SipHeaders,
  parseCSeq,
  serializeCSeq,
  type SipRequest,
  type SipResponse,
} from '../message/index.ts';

/**
 * The two messages the transaction layer writes itself, from the request it was created
 * with: the ACK for a non-2xx final response and the 100 Trying of an INVITE server.
 */

/**
 * RFC 3261 §17.1.1.3: the ACK for a 300-699 response to an INVITE is hop-by-hop and
 * belongs to the INVITE transaction: same Request-URI, Call-ID, From and CSeq number as
 * the INVITE, the To of the response (with its tag), one Via equal to the INVITE's top
 * Via (so it carries the same branch and matches the server transaction), the INVITE's
 * Route headers. Max-Forwards is copied because every request carries one (§8.1.1.6).
 */
export function buildNon2xxAck(invite: SipRequest, response: SipResponse): SipRequest {
  const source = invite.headers;
  const headers = new SipHeaders();
  const topVia = source.getAll('via')[0];
  if (topVia !== undefined) headers.append('Via', topVia);
  for (const route of source.getLines('route')) headers.append('Route', route);
  const maxForwards = source.get('max-forwards');
  if (maxForwards !== undefined) headers.append('Max-Forwards', maxForwards);
  copyHeader(source, headers, 'From');
  copyHeader(response.headers, headers, 'To');
  copyHeader(source, headers, 'Call-ID');
  const cseq = parseCSeq(source.get('cseq') ?? '');
  headers.append('CSeq', serializeCSeq({ seq: cseq.seq, method: 'ACK' }));
  headers.append('Content-Length', '0');
  return {
    kind: 'request',
    method: 'ACK',
    uri: invite.uri,
    version: SIP_VERSION,
    headers,
    body: Buffer.alloc(0),
  };
}

/**
 * RFC 3261 §8.2.6: a response copies the request's Via lines (in order), From, To,
 * Call-ID and CSeq; §8.2.6.1: a 100 Trying also copies Timestamp. A 100 carries no To tag
 * of its own (§8.2.6.2 lets it be omitted), so no dialog is implied.
 */
export function buildTryingResponse(request: SipRequest): SipResponse {
  const timestamp = request.headers.get('timestamp');
  return createResponse(request, 100, {
    headers: [...(timestamp === undefined ? [] : [['Timestamp', timestamp] as [string, string]])],
  });
}

function copyHeader(from: SipHeaders, to: SipHeaders, name: string): void {
  const value = from.get(name);
  if (value !== undefined) to.append(name, value);
}
