import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseMessage, type SipRequest } from '@provod/sip';
import {
  answer,
  callerInvite,
  callerRequest,
  createHarness,
  forkTarget,
  offer,
  phoneResponse,
  toTagOf,
} from './call-test-harness.ts';

describe('a call bridged as a B2BUA', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('rings every contact, answers with the first 2xx, cancels the rest, ACKs the winner', () => {
    const harness = createHarness();
    harness.startCall(callerInvite(), [forkTarget('192.0.2.2'), forkTarget('192.0.2.3')]);
    const [first, second] = harness.sentOf('INVITE');
    if (!first || !second) throw new Error('two forks expected');
    expect(first.request.body).toEqual(offer);

    second.user.onResponse?.(phoneResponse(second.request, 180, { tag: 'b' }));
    expect(harness.statusesToCaller()).toEqual([180]);
    first.user.onResponse?.(phoneResponse(first.request, 200, { body: answer }));

    const ok = harness.toCaller.at(-1);
    expect(ok?.status).toBe(200);
    expect(ok?.body).toEqual(answer);
    expect(ok?.headers.get('contact')).toBe('<sip:provod@198.51.100.1:5060>');
    // Same To tag on the 180 and the 200: one dialog towards the caller.
    expect(harness.toCaller[0]?.headers.get('to')).toBe(ok?.headers.get('to'));
    const ack = harness.stateless.find((entry) => entry.message.kind === 'request');
    expect(ack?.destination.address).toBe('192.0.2.2');
    expect(ack?.message.kind === 'request' && ack.message.headers.get('cseq')).toBe('1 ACK');
    const cancel = harness.sentOf('CANCEL')[0];
    expect(cancel?.destination.address).toBe('192.0.2.3');
    expect(cancel?.request.headers.get('via')).toBe(second.request.headers.get('via'));
    expect(harness.dialogs.size).toBe(2);
  });

  it('tells the caller busy when one contact is busy and another unreachable', () => {
    const harness = createHarness();
    harness.startCall(callerInvite(), [forkTarget('192.0.2.2'), forkTarget('192.0.2.3')]);
    const [first, second] = harness.sentOf('INVITE');
    first?.user.onTimeout?.();
    second?.user.onResponse?.(phoneResponse(second.request, 486));
    expect(harness.statusesToCaller()).toEqual([486]);
    expect(harness.ended).toEqual([{ reason: 'failed', status: 486 }]);
  });

  it('says 480 when every contact is unreachable, and when nobody answers in time', () => {
    const dead = createHarness();
    dead.startCall(callerInvite(), [forkTarget('192.0.2.2')]);
    dead.sentOf('INVITE')[0]?.user.onTransportError?.(new Error('ICMP unreachable'));
    expect(dead.statusesToCaller()).toEqual([480]);

    const slow = createHarness();
    slow.startCall(callerInvite(), [forkTarget('192.0.2.2')], 20_000);
    const invite = slow.sentOf('INVITE')[0];
    invite?.user.onResponse?.(phoneResponse(invite.request, 180));
    vi.advanceTimersByTime(20_000);
    expect(slow.statusesToCaller()).toEqual([180, 480]);
    expect(slow.sentOf('CANCEL')).toHaveLength(1);
    expect(slow.ended[0]?.reason).toBe('no_answer');
  });

  it('holds a CANCEL back until the contact answered provisionally (§9.1)', () => {
    const harness = createHarness();
    const call = harness.startCall(callerInvite(), [forkTarget('192.0.2.2')]);
    call.cancel();
    expect(harness.statusesToCaller()).toEqual([487]);
    expect(harness.sentOf('CANCEL')).toHaveLength(0);
    const invite = harness.sentOf('INVITE')[0];
    invite?.user.onResponse?.(phoneResponse(invite.request, 100));
    expect(harness.sentOf('CANCEL')).toHaveLength(1);
  });

  it('ends a fork that answers after another won with ACK and BYE', () => {
    const harness = createHarness();
    harness.startCall(callerInvite(), [forkTarget('192.0.2.2'), forkTarget('192.0.2.3')]);
    const [first, second] = harness.sentOf('INVITE');
    first?.user.onResponse?.(phoneResponse(first.request, 200, { body: answer }));
    second?.user.onResponse?.(phoneResponse(second.request, 200, { tag: 'late', body: answer }));
    const acks = harness.stateless.filter((entry) => entry.message.kind === 'request');
    expect(acks.map((entry) => entry.destination.address)).toEqual(['192.0.2.2', '192.0.2.3']);
    const bye = harness.sentOf('BYE')[0];
    expect(bye?.destination.address).toBe('192.0.2.3');
    expect(bye?.request.headers.get('to')).toMatch(/tag=late/);
  });

  it('with a late offer, ACKs the callee only when the caller’s ACK brings the answer', () => {
    const harness = createHarness();
    const call = harness.startCall(callerInvite(Buffer.alloc(0)), [forkTarget('192.0.2.2')]);
    const invite = harness.sentOf('INVITE')[0];
    invite?.user.onResponse?.(phoneResponse(invite.request, 200, { body: offer }));
    expect(harness.stateless).toHaveLength(0);
    call.acknowledged('caller', callerRequest('ACK', 10, toTagOf(harness), answer));
    const ack = harness.stateless[0]?.message;
    expect(ack?.kind === 'request' && ack.method).toBe('ACK');
    expect(ack?.body).toEqual(answer);
  });

  it('resends the 2xx to the caller until the ACK, and hangs up both sides without one', () => {
    const harness = createHarness();
    const call = harness.startCall(callerInvite(), [forkTarget('192.0.2.2')]);
    const invite = harness.sentOf('INVITE')[0];
    invite?.user.onResponse?.(phoneResponse(invite.request, 200, { body: answer }));
    const resent = () => harness.stateless.filter((entry) => entry.message.kind === 'response');
    vi.advanceTimersByTime(500 + 1000);
    expect(resent()).toHaveLength(2);
    vi.advanceTimersByTime(64 * 500);
    expect(
      harness
        .sentOf('BYE')
        .map((entry) => entry.destination.address)
        .sort(),
    ).toEqual(['192.0.2.1', '192.0.2.2']);
    expect(call.state).toBe('ended');
    expect(harness.ended[0]?.reason).toBe('no_ack');
  });

  it('relays a re-INVITE (hold) with its offer and answer, and refuses a second at once with 491', () => {
    const harness = createHarness();
    const call = harness.startCall(callerInvite(), [forkTarget('192.0.2.2')]);
    const invite = harness.sentOf('INVITE')[0];
    invite?.user.onResponse?.(phoneResponse(invite.request, 200, { body: answer }));
    const tag = toTagOf(harness);
    call.acknowledged('caller', callerRequest('ACK', 10, tag));

    const hold = Buffer.concat([offer, Buffer.from('a=sendonly\r\n')]);
    const responses: number[] = [];
    call.inDialogRequest('caller', callerRequest('INVITE', 11, tag, hold), (r) =>
      responses.push(r.status),
    );
    const reinvite = harness.sentOf('INVITE')[1];
    expect(reinvite?.request.body).toEqual(hold);
    expect(reinvite?.request.headers.get('cseq')).toBe('2 INVITE');
    expect(reinvite?.request.uri).toBe('sip:102@192.0.2.2:5062');
    call.inDialogRequest('caller', callerRequest('INVITE', 12, tag, hold), (r) =>
      responses.push(r.status),
    );
    expect(responses).toEqual([491]);

    const held = Buffer.concat([answer, Buffer.from('a=recvonly\r\n')]);
    if (reinvite) reinvite.user.onResponse?.(phoneResponse(reinvite.request, 200, { body: held }));
    expect(responses).toEqual([491, 200]);
    const ack = harness.stateless.at(-1)?.message;
    expect(ack?.kind === 'request' && ack.headers.get('cseq')).toBe('2 ACK');
  });

  it('turns the callee’s BYE into a BYE to the caller and ends the call', () => {
    const harness = createHarness();
    const call = harness.startCall(callerInvite(), [forkTarget('192.0.2.2')]);
    const invite = harness.sentOf('INVITE')[0];
    invite?.user.onResponse?.(phoneResponse(invite.request, 200, { body: answer }));
    call.acknowledged('caller', callerRequest('ACK', 10, toTagOf(harness)));

    const byeFromCallee = parseMessage(
      Buffer.from(
        [
          'BYE sip:provod@198.51.100.1:5060 SIP/2.0',
          'Via: SIP/2.0/UDP 192.0.2.2:5062;branch=z9hG4bKcalleebye',
          'From: <sip:102@demo.provod.local>;tag=calleetag',
          'To: "Alice" <sip:101@demo.provod.local>;tag=provod192.0.2.2',
          'Call-ID: fork-192.0.2.2@provod',
          'CSeq: 7 BYE',
          'Content-Length: 0',
          '',
          '',
        ].join('\r\n'),
      ),
    ) as SipRequest;
    const answered: number[] = [];
    call.inDialogRequest('callee', byeFromCallee, (r) => answered.push(r.status));
    expect(answered).toEqual([200]);
    const bye = harness.sentOf('BYE')[0];
    expect(bye?.destination.address).toBe('192.0.2.1');
    expect(bye?.request.uri).toBe('sip:101@192.0.2.1:5060');
    expect(bye?.request.headers.get('from')).toMatch(/tag=/);
    expect(call.state).toBe('ended');
    expect(harness.ended[0]?.reason).toBe('callee_hung_up');
    expect(harness.dialogs.size).toBe(0);
  });

  it('answers a request with a lower CSeq 500, and re-ACKs a retransmitted 2xx', () => {
    const harness = createHarness();
    const call = harness.startCall(callerInvite(), [forkTarget('192.0.2.2')]);
    const invite = harness.sentOf('INVITE')[0];
    const ok = invite && phoneResponse(invite.request, 200, { body: answer });
    if (!ok) throw new Error('no fork');
    invite.user.onResponse?.(ok);
    const tag = toTagOf(harness);
    const statuses: number[] = [];
    call.inDialogRequest('caller', callerRequest('INFO', 9, tag), (r) => statuses.push(r.status));
    expect(statuses).toEqual([500]);

    const before = harness.stateless.length;
    call.strayAnswer(ok);
    expect(harness.stateless.length).toBe(before + 1);
    expect(harness.stateless.at(-1)?.message).toBe(harness.stateless[0]?.message);
  });
});

describe('the time limit of an answered call', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('hangs up both phones when the call outlives it', () => {
    const harness = createHarness();
    const call = harness.startCall(callerInvite(), [forkTarget('192.0.2.2')], 60_000, 120_000);
    const invite = harness.sentOf('INVITE')[0];
    invite?.user.onResponse?.(phoneResponse(invite.request, 200, { body: answer }));
    call.acknowledged('caller', callerRequest('ACK', 10, toTagOf(harness)));
    vi.advanceTimersByTime(119_000);
    expect(call.state).toBe('answered');
    vi.advanceTimersByTime(1_000);
    expect(call.state).toBe('ended');
    expect(harness.sentOf('BYE')).toHaveLength(2);
    expect(harness.ended[0]?.reason).toBe('max_duration');
  });
});
