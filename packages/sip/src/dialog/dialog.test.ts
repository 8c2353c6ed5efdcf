import { describe, expect, it } from 'vitest';
import { parseMessage, type SipRequest, type SipResponse } from '../message/index.ts';
import {
  acceptInDialogRequest,
  buildAck,
  buildInDialogRequest,
  dialogAsUac,
  dialogAsUas,
  dialogIdOf,
  dialogIdOfDialog,
  refreshRemoteTarget,
} from './dialog.ts';

function wire(...lines: string[]): Buffer {
  return Buffer.from([...lines, '', ''].join('\r\n'));
}

// RFC 3261 §24.2 F4: the INVITE as Bob receives it, after two record-routing proxies.
const invite = parseMessage(
  wire(
    'INVITE sip:bob@192.0.2.4 SIP/2.0',
    'Via: SIP/2.0/UDP server10.biloxi.com;branch=z9hG4bK4b43c2ff8.1',
    'Via: SIP/2.0/UDP bigbox3.site3.atlanta.com;branch=z9hG4bK77ef4c2312983.1',
    'Via: SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bKnashds8',
    'Max-Forwards: 68',
    'Record-Route: <sip:server10.biloxi.com;lr>, <sip:bigbox3.site3.atlanta.com;lr>',
    'To: Bob <sip:bob@biloxi.com>',
    'From: Alice <sip:alice@atlanta.com>;tag=1928301774',
    'Call-ID: a84b4c76e66710',
    'CSeq: 314159 INVITE',
    'Contact: <sip:alice@pc33.atlanta.com>',
    'Content-Length: 0',
  ),
) as SipRequest;

// §24.2 F9: Bob's 200 OK as Alice receives it, Record-Route in the same order.
const ok = parseMessage(
  wire(
    'SIP/2.0 200 OK',
    'Via: SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bKnashds8;received=192.0.2.1',
    'Record-Route: <sip:server10.biloxi.com;lr>, <sip:bigbox3.site3.atlanta.com;lr>',
    'To: Bob <sip:bob@biloxi.com>;tag=a6c85cf',
    'From: Alice <sip:alice@atlanta.com>;tag=1928301774',
    'Call-ID: a84b4c76e66710',
    'CSeq: 314159 INVITE',
    'Contact: <sip:bob@192.0.2.4>',
    'Content-Length: 0',
  ),
) as SipResponse;

const aliceInvite = parseMessage(
  wire(
    'INVITE sip:bob@biloxi.com SIP/2.0',
    'Via: SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bKnashds8',
    'Max-Forwards: 70',
    'To: Bob <sip:bob@biloxi.com>',
    'From: Alice <sip:alice@atlanta.com>;tag=1928301774',
    'Call-ID: a84b4c76e66710',
    'CSeq: 314159 INVITE',
    'Contact: <sip:alice@pc33.atlanta.com>',
    'Content-Length: 0',
  ),
) as SipRequest;

describe('dialogs (RFC 3261 §12)', () => {
  it('builds the UAS side from the INVITE: route set in order, remote target = Contact', () => {
    const dialog = dialogAsUas(invite, 'a6c85cf');
    expect(dialog).toMatchObject({
      callId: 'a84b4c76e66710',
      localTag: 'a6c85cf',
      remoteTag: '1928301774',
      remoteSeq: 314159,
      remoteTarget: 'sip:alice@pc33.atlanta.com',
      routeSet: ['<sip:server10.biloxi.com;lr>', '<sip:bigbox3.site3.atlanta.com;lr>'],
      secure: false,
    });
    expect(dialog.remoteUri).toBe('Alice <sip:alice@atlanta.com>');
  });

  it('builds the UAC side from the 2xx: route set reversed, §24.2 F12 BYE goes via both proxies', () => {
    const dialog = dialogAsUac(aliceInvite, ok);
    expect(dialog.routeSet).toEqual([
      '<sip:bigbox3.site3.atlanta.com;lr>',
      '<sip:server10.biloxi.com;lr>',
    ]);
    const { dialog: next, request } = buildInDialogRequest(dialog, {
      method: 'BYE',
      via: 'SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bKnashds10',
    });
    expect(next.localSeq).toBe(314160);
    expect(request.uri).toBe('sip:bob@192.0.2.4');
    expect(request.headers.getAll('route')).toEqual(dialog.routeSet);
    expect(request.headers.get('cseq')).toBe('314160 BYE');
    expect(request.headers.get('from')).toBe('Alice <sip:alice@atlanta.com>;tag=1928301774');
    expect(request.headers.get('to')).toBe('Bob <sip:bob@biloxi.com>;tag=a6c85cf');
  });

  it('the ACK for a 2xx keeps the INVITE number and goes by the same route', () => {
    const dialog = dialogAsUac(aliceInvite, ok);
    const ack = buildAck(dialog, 314159, { via: 'SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bK7' });
    expect(ack.method).toBe('ACK');
    expect(ack.headers.get('cseq')).toBe('314159 ACK');
    expect(ack.uri).toBe('sip:bob@192.0.2.4');
  });

  it('puts a strict router in the Request-URI and the remote target last (§12.2.1.1)', () => {
    const dialog = { ...dialogAsUac(aliceInvite, ok), routeSet: ['<sip:old.example.com>'] };
    const { request } = buildInDialogRequest(dialog, {
      method: 'BYE',
      via: 'SIP/2.0/UDP h;branch=z9hG4bK1',
    });
    expect(request.uri).toBe('sip:old.example.com');
    expect(request.headers.getAll('route')).toEqual(['<sip:bob@192.0.2.4>']);
  });

  it('refuses a lower CSeq as out of order and lets ACK repeat the number (§12.2.2)', () => {
    const dialog = dialogAsUas(invite, 'a6c85cf');
    const withSeq = (method: string, seq: number): SipRequest => {
      const headers = invite.headers;
      const copy = parseMessage(
        wire(
          `${method} sip:bob@192.0.2.4 SIP/2.0`,
          'Via: SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bKx',
          `To: ${headers.get('to') ?? ''};tag=a6c85cf`,
          `From: ${headers.get('from') ?? ''}`,
          'Call-ID: a84b4c76e66710',
          `CSeq: ${seq} ${method}`,
          'Content-Length: 0',
        ),
      );
      return copy as SipRequest;
    };
    expect(acceptInDialogRequest(dialog, withSeq('ACK', 314159)).kind).toBe('accepted');
    expect(acceptInDialogRequest(dialog, withSeq('BYE', 314158))).toEqual({ kind: 'out_of_order' });
    const accepted = acceptInDialogRequest(dialog, withSeq('BYE', 314160));
    expect(accepted.kind === 'accepted' && accepted.dialog.remoteSeq).toBe(314160);
  });

  it('matches a request to its dialog ID from either side', () => {
    const uas = dialogAsUas(invite, 'a6c85cf');
    const uac = dialogAsUac(aliceInvite, ok);
    expect(dialogIdOf(ok, 'uac')).toBe(dialogIdOfDialog(uac));
    const bye = buildInDialogRequest(uac, { method: 'BYE', via: 'SIP/2.0/UDP h;branch=z9hG4bK2' });
    expect(dialogIdOf(bye.request, 'uas')).toBe(dialogIdOfDialog(uas));
  });

  it('moves the remote target on a target refresh, never the route set', () => {
    const dialog = dialogAsUac(aliceInvite, ok);
    const reinviteOk = parseMessage(
      wire(
        'SIP/2.0 200 OK',
        'Via: SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bK9',
        'Record-Route: <sip:elsewhere.example.com;lr>',
        'To: Bob <sip:bob@biloxi.com>;tag=a6c85cf',
        'From: Alice <sip:alice@atlanta.com>;tag=1928301774',
        'Call-ID: a84b4c76e66710',
        'CSeq: 314160 INVITE',
        'Contact: <sip:bob@192.0.2.9:5062>',
        'Content-Length: 0',
      ),
    ) as SipResponse;
    const refreshed = refreshRemoteTarget(dialog, reinviteOk);
    expect(refreshed.remoteTarget).toBe('sip:bob@192.0.2.9:5062');
    expect(refreshed.routeSet).toEqual(dialog.routeSet);
  });

  it('refuses to build a dialog without a Contact or a tag', () => {
    const noContact = parseMessage(
      wire(
        'INVITE sip:bob@biloxi.com SIP/2.0',
        'Via: SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bKnashds8',
        'To: Bob <sip:bob@biloxi.com>',
        'From: Alice <sip:alice@atlanta.com>;tag=1928301774',
        'Call-ID: a84b4c76e66710',
        'CSeq: 1 INVITE',
        'Content-Length: 0',
      ),
    ) as SipRequest;
    expect(() => dialogAsUas(noContact, 'x')).toThrow(/Contact/);
    expect(() => dialogAsUac(aliceInvite, { ...ok, headers: invite.headers })).toThrow(/tag/);
  });
});
