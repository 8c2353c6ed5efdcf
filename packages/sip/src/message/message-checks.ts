import { type SipHeaders } from './headers.ts';
import { type SipMessage } from './message.ts';
import { parseNameAddr } from './name-addr.ts';
import { SipParseError } from './parse-error.ts';
import { getParam } from './params.ts';
import { parseCSeq, parseDate, parseExpires, parseMaxForwards } from './scalar-headers.ts';
import { parseVia } from './via.ts';

/**
 * The checks every message passes before the stack sees it, so later layers can read the
 * headers they rely on without re-checking. RFC 3261 §8.1.1 lists the mandatory headers
 * (To, From, CSeq, Call-ID, Via); the rest are parsed here when present because a value
 * out of range or malformed is the sender's fault and answered with 400 (RFC 4475 §3.1.2).
 * Max-Forwards is not required: §16.6 lets a proxy add it, and RFC 2543 peers omit it.
 */
const singleValued = ['call-id', 'cseq', 'from', 'to', 'max-forwards', 'expires', 'content-type'];
const mandatory = ['to', 'from', 'call-id', 'cseq', 'via'];

// callid = word [ "@" word ]  (RFC 3261 §25.1)
const WORD = `[A-Za-z0-9\\-.!%*_+\`'~()<>:\\\\"/[\\]?{}]+`;
const CALL_ID_RE = new RegExp(`^${WORD}(?:@${WORD})?$`);

export function checkMessage(message: SipMessage): void {
  const { headers } = message;
  for (const name of mandatory) {
    if (!headers.has(name)) throw new SipParseError('missing_header', `missing ${name} header`);
  }
  for (const name of singleValued) {
    if (headers.getLines(name).length > 1) {
      throw new SipParseError('bad_header', `${name} appears more than once`);
    }
  }

  const callId = headers.get('call-id') ?? '';
  if (!CALL_ID_RE.test(callId))
    throw new SipParseError('bad_header', `bad Call-ID: ${JSON.stringify(callId)}`);

  for (const via of headers.getAll('via')) parseVia(via);

  const cseq = parseCSeq(headers.get('cseq') ?? '');
  // RFC 3261 §8.1.1.5 / §20.16: the CSeq method matches the request's (RFC 4475 §3.1.2.17).
  if (message.kind === 'request' && cseq.method !== message.method) {
    throw new SipParseError(
      'bad_header',
      `CSeq method ${cseq.method} does not match ${message.method}`,
    );
  }

  for (const name of ['from', 'to']) parseNameAddr(headers.get(name) ?? '');
  checkContacts(headers);
  for (const name of ['route', 'record-route']) {
    for (const value of headers.getAll(name)) parseNameAddr(value);
  }

  const maxForwards = headers.get('max-forwards');
  if (maxForwards !== undefined) parseMaxForwards(maxForwards);
  const expires = headers.get('expires');
  if (expires !== undefined) parseExpires(expires);
  const date = headers.get('date');
  if (date !== undefined) parseDate(date);
}

/** Contact: `*` alone (REGISTER removal, §10.2.2) or name-addrs with a valid expires. */
function checkContacts(headers: SipHeaders): void {
  const contacts = headers.getAll('contact');
  if (contacts.length === 1 && contacts[0] === '*') return;
  for (const value of contacts) {
    const contact = parseNameAddr(value);
    const expires = getParam(contact.params, 'expires');
    if (expires !== undefined) parseExpires(expires);
  }
}
