import {
  getParam,
  isRfc3261Branch,
  parseCSeq,
  parseNameAddr,
  parseVia,
  serializeVia,
  type SipMessage,
  type SipRequest,
  type Via,
} from '../message/index.ts';
import { TransactionError } from './transaction-error.ts';

/**
 * Transaction identity as a string key, so the manager finds a transaction with one map
 * lookup.
 */

/**
 * RFC 3261 §17.1.3: a response belongs to the client transaction whose request had the
 * same top-Via branch and the same CSeq method (the method keeps a CANCEL, which shares
 * the INVITE's branch, §9.1, apart from the INVITE). Undefined when the top Via has no
 * branch: no transaction of ours sent it.
 */
export function clientTransactionKey(message: SipMessage): string | undefined {
  const via = topVia(message);
  if (via.branch === undefined) return undefined;
  return `${via.branch}|${cseqOf(message).method}`;
}

/**
 * RFC 3261 §17.2.3: with a magic-cookie branch, a request matches the server transaction
 * with the same branch, the same top-Via sent-by and the same method — except ACK, which
 * matches the INVITE (it is the ACK for a non-2xx, sent with the INVITE's branch,
 * §17.1.1.3). The ACK for a 2xx has a branch of its own (§13.2.2.4) and so finds nothing:
 * it goes to the core, end to end.
 *
 * Without the cookie (an RFC 2543 peer) the request is matched on Request-URI, From tag,
 * Call-ID, CSeq and top Via, plus the To tag for non-INVITE requests. §17.2.3 also asks
 * that an ACK's To tag equal the tag of the response sent; that check is left out here, so
 * an RFC 2543 ACK matches its INVITE by the other fields alone.
 *
 * `asMethod` keys a request as if it had another method: §9.2 finds the INVITE a CANCEL
 * cancels by the §17.2.3 rule with the method taken as INVITE.
 */
export function serverTransactionKey(request: SipRequest, asMethod?: string): string {
  const via = topVia(request);
  const method = asMethod ?? (request.method === 'ACK' ? 'INVITE' : request.method);
  if (isRfc3261Branch(via)) {
    return `3261|${via.branch ?? ''}|${via.host}:${via.port ?? ''}|${method}`;
  }
  const { headers } = request;
  const cseq = cseqOf(request);
  const fromTag = tagOf(headers.get('from'));
  // The ACK's To tag is the one our response added, so INVITE and ACK both leave it out.
  const toTag = method === 'INVITE' ? '' : (tagOf(headers.get('to')) ?? '');
  return [
    '2543',
    request.uri,
    fromTag ?? '',
    toTag,
    headers.get('call-id') ?? '',
    `${cseq.seq} ${method}`,
    serializeVia(via),
  ].join('|');
}

function topVia(message: SipMessage): Via {
  const value = message.headers.getAll('via')[0];
  if (value === undefined) {
    throw new TransactionError('unmatchable_message', 'message has no Via header');
  }
  return parseVia(value);
}

function cseqOf(message: SipMessage): { readonly seq: number; readonly method: string } {
  const value = message.headers.get('cseq');
  if (value === undefined) {
    throw new TransactionError('unmatchable_message', 'message has no CSeq header');
  }
  return parseCSeq(value);
}

function tagOf(value: string | undefined): string | undefined {
  return value === undefined ? undefined : getParam(parseNameAddr(value).params, 'tag');
}
