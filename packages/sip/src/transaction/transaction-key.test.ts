import { describe, expect, it } from 'vitest';
import { SipHeaders, type SipRequest } from '../message/index.ts';
import {
  ackFor2xxBytes,
  ackForFailureBytes,
  cancelBytes,
  inviteBytes,
  request,
  response,
  responseBytes,
} from './test-fixtures.ts';
import { clientTransactionKey, serverTransactionKey } from './transaction-key.ts';

// An RFC 2543 peer: no magic cookie in the branch (RFC 3261 §17.2.3, last paragraphs).
function legacy(bytes: Buffer): SipRequest {
  return request(Buffer.from(bytes.toString().replaceAll('branch=z9hG4bKnashds8', 'branch=1')));
}

describe('transaction keys (RFC 3261 §17.1.3, §17.2.3)', () => {
  it('gives the INVITE and the ACK for its non-2xx one server key, the 2xx ACK another', () => {
    const invite = serverTransactionKey(request(inviteBytes));
    expect(serverTransactionKey(request(ackForFailureBytes))).toBe(invite);
    expect(serverTransactionKey(request(ackFor2xxBytes))).not.toBe(invite);
  });

  it('keys a CANCEL apart from its INVITE, and as the INVITE when asked (§9.2)', () => {
    const invite = serverTransactionKey(request(inviteBytes));
    expect(serverTransactionKey(request(cancelBytes))).not.toBe(invite);
    expect(serverTransactionKey(request(cancelBytes), 'INVITE')).toBe(invite);
  });

  it('matches a response to its request by branch and CSeq method', () => {
    const key = clientTransactionKey(request(inviteBytes));
    const ringing = response(responseBytes('180 Ringing', '314159 INVITE', 'a6c85cf'));
    expect(clientTransactionKey(ringing)).toBe(key);
    const cancelOk = response(responseBytes('200 OK', '314159 CANCEL', 'a6c85cf'));
    expect(clientTransactionKey(cancelOk)).not.toBe(key);
  });

  it('falls back to the RFC 2543 fields without the magic cookie', () => {
    const invite = serverTransactionKey(legacy(inviteBytes));
    expect(invite.startsWith('2543|')).toBe(true);
    expect(serverTransactionKey(legacy(ackForFailureBytes))).toBe(invite);
    expect(serverTransactionKey(legacy(cancelBytes))).not.toBe(invite);
  });

  it('refuses a message without Via with a typed error', () => {
    const bare: SipRequest = { ...request(inviteBytes), headers: new SipHeaders() };
    expect(() => serverTransactionKey(bare)).toThrowError(
      expect.objectContaining({ code: 'unmatchable_message' }),
    );
  });
});
