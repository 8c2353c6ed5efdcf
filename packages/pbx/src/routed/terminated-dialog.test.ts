import type { BridgeLegFormat, DtmfDigit } from '@provod/media';
import { createSystemTimers, dialogAsUas, parseSdp, type SipResponse } from '@provod/sip';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CallParty } from '../calls/call-party.ts';
import { callerInvite, callerRequest, callerSource } from '../calls/call-test-harness.ts';
import type { SentRequest } from '../calls/call-test-harness.ts';
import type { SipNetwork } from '../calls/sip-network.ts';
import { LocalSdp } from './local-sdp.ts';
import { TerminatedDialog } from './terminated-dialog.ts';

const offer = (direction: string) =>
  Buffer.from(
    [
      'v=0',
      'o=phone 1 2 IN IP4 192.0.2.1',
      's=-',
      'c=IN IP4 192.0.2.1',
      't=0 0',
      'm=audio 4000 RTP/AVP 0 101',
      'a=rtpmap:0 PCMU/8000',
      'a=rtpmap:101 telephone-event/8000',
      `a=${direction}`,
      '',
    ].join('\r\n'),
  );

function setUp() {
  const sent: SentRequest[] = [];
  const resent: SipResponse[] = [];
  const network: SipNetwork = {
    sendRequest: (request, destination, user) => sent.push({ request, destination, user }),
    sendStateless: (message) => {
      if (message.kind === 'response') resent.push(message);
    },
    via: () => 'SIP/2.0/UDP 198.51.100.1:5060;branch=z9hG4bKprovod',
    contactUri: () => 'sip:provod@198.51.100.1:5060',
    timers: createSystemTimers(),
    t1: 500,
    t2: 4000,
  };
  const sdp = new LocalSdp('198.51.100.1', 20000);
  sdp.answer(offer('sendrecv'));
  const party = new CallParty(dialogAsUas(callerInvite(), 'provodtag'), callerSource, network);
  const formats: BridgeLegFormat[] = [];
  const digits: DtmfDigit[] = [];
  let hungUp = 0;
  const dialog = new TerminatedDialog(party, sdp, network, {
    hungUp: () => hungUp++,
    formatChanged: (format) => formats.push(format),
    digit: (digit) => digits.push(digit),
  });
  const ask = (method: string, cseq: number, body?: Buffer, headers: string[] = []) => {
    const responses: SipResponse[] = [];
    dialog.request(callerRequest(method, cseq, 'provodtag', body, headers), (r) =>
      responses.push(r),
    );
    return responses;
  };
  return { sent, resent, formats, digits, dialog, ask, hungUp: () => hungUp };
}

describe('a dialog whose other end is Provod', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('answers a hold re-INVITE itself (recvonly), resends the 2xx until the ACK', () => {
    const h = setUp();
    const [ok] = h.ask('INVITE', 11, offer('sendonly'));
    expect(ok?.status).toBe(200);
    const answer = parseSdp(ok?.body ?? Buffer.alloc(0));
    expect(answer.media[0]?.attributes).toContainEqual({
      kind: 'direction',
      direction: 'recvonly',
    });
    expect(answer.origin.sessionVersion).toBe(2n);
    expect(h.formats.map((format) => format.receiving)).toEqual([false]);
    vi.advanceTimersByTime(500);
    expect(h.resent).toHaveLength(1);
    h.dialog.acknowledged(callerRequest('ACK', 11, 'provodtag'));
    vi.advanceTimersByTime(8000);
    expect(h.resent).toHaveLength(1);
  });

  it('refuses an offer it cannot take with 488 and keeps the media as it was', () => {
    const h = setUp();
    const g722 = Buffer.from(
      offer('sendrecv').toString().replace('RTP/AVP 0 101', 'RTP/AVP 9').replace('PCMU', 'G722'),
    );
    expect(h.ask('INVITE', 11, g722).map((r) => r.status)).toEqual([488]);
    expect(h.formats).toEqual([]);
  });

  it('takes keys from INFO, refusing bodies that are not DTMF', () => {
    const h = setUp();
    const info = (type: string, body: string, cseq: number) => {
      const request = callerRequest('INFO', cseq, 'provodtag');
      request.headers.set('Content-Type', type);
      request.headers.set('Content-Length', String(Buffer.byteLength(body)));
      const responses: SipResponse[] = [];
      h.dialog.request({ ...request, body: Buffer.from(body) }, (r) => responses.push(r));
      return responses.map((r) => r.status);
    };
    expect(info('application/dtmf-relay', 'Signal=7\r\nDuration=160\r\n', 11)).toEqual([200]);
    expect(info('application/dtmf', '#', 12)).toEqual([200]);
    expect(info('application/dtmf-relay', 'Duration=160\r\n', 13)).toEqual([400]);
    expect(info('application/json', '{}', 14)).toEqual([415]);
    expect(h.digits).toEqual(['7', '#']);
  });

  it('ends on BYE, answers OPTIONS, refuses REFER and requests out of order', () => {
    const h = setUp();
    expect(h.ask('OPTIONS', 11).map((r) => r.status)).toEqual([200]);
    expect(h.ask('REFER', 12).map((r) => r.status)).toEqual([501]);
    expect(h.ask('INFO', 12).map((r) => r.status)).toEqual([500]);
    expect(h.ask('BYE', 13).map((r) => r.status)).toEqual([200]);
    expect(h.hungUp()).toBe(1);
  });

  it('offers its SDP to an offerless re-INVITE and takes the answer from the ACK', () => {
    const h = setUp();
    const [ok] = h.ask('INVITE', 11);
    expect(parseSdp(ok?.body ?? Buffer.alloc(0)).media[0]?.port).toBe(20000);
    const ack = callerRequest('ACK', 11, 'provodtag', offer('sendrecv'));
    h.dialog.acknowledged(ack);
    expect(h.formats.map((format) => format.codec.encodingName)).toEqual(['PCMU']);
  });
});
