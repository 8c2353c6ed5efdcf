import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseMessage, type SipRequest } from '@provod/sip';
import {
  answer,
  callerInvite,
  callerRequest,
  createHarness,
  FakeCallMedia,
  forkTarget,
  offer,
  phoneResponse,
  toTagOf,
} from './call-test-harness.ts';

/**
 * What a bridged call does with its media (media-anchor.ts): every SDP body goes through
 * it with the right role, what it returns is what the other phone gets, and it is
 * released exactly once on every way a call can end.
 */
function answeredCall(media = new FakeCallMedia(true)) {
  const harness = createHarness(media);
  const call = harness.startCall(callerInvite(), [forkTarget('192.0.2.2')], 60_000, 120_000);
  const invite = harness.sentOf('INVITE')[0];
  if (!invite) throw new Error('no fork');
  invite.user.onResponse?.(phoneResponse(invite.request, 183, { body: answer }));
  invite.user.onResponse?.(phoneResponse(invite.request, 200, { body: answer }));
  return { harness, call, media, tag: toTagOf(harness) };
}

function calleeBye(): SipRequest {
  return parseMessage(
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
}

describe('a bridged call’s media', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('gives the caller the answers (183 and 200) as the media rewrote them', () => {
    const { harness, media } = answeredCall();
    const [ringing, ok] = harness.toCaller;
    expect(ringing?.body.toString()).toBe(`callee answer|${answer.toString()}`);
    expect(ok?.body.toString()).toBe(`callee answer|${answer.toString()}`);
    expect(media.relayedBodies.map(({ from, role }) => `${from} ${role}`)).toEqual([
      'callee answer',
      'callee answer',
    ]);
    expect(media.onTimeout).toBeDefined();
  });

  it('with a late offer, relays the callee’s offer to the caller and the caller’s answer in the ACK', () => {
    const media = new FakeCallMedia(true);
    const harness = createHarness(media);
    const call = harness.startCall(callerInvite(Buffer.alloc(0)), [forkTarget('192.0.2.2')]);
    const invite = harness.sentOf('INVITE')[0];
    invite?.user.onResponse?.(phoneResponse(invite.request, 200, { body: offer }));
    expect(harness.toCaller.at(-1)?.body.toString()).toBe(`callee offer|${offer.toString()}`);
    call.acknowledged('caller', callerRequest('ACK', 10, toTagOf(harness), answer));
    const ack = harness.stateless[0]?.message;
    expect(ack?.body.toString()).toBe(`caller answer|${answer.toString()}`);
  });

  it('relays a re-INVITE’s offer and its answer through the media (hold)', () => {
    const { harness, call, media, tag } = answeredCall();
    call.acknowledged('caller', callerRequest('ACK', 10, tag));
    const hold = Buffer.concat([offer, Buffer.from('a=sendonly\r\n')]);
    const statuses: string[] = [];
    call.inDialogRequest('caller', callerRequest('INVITE', 11, tag, hold), (response) =>
      statuses.push(response.body.toString()),
    );
    const reinvite = harness.sentOf('INVITE')[1];
    expect(reinvite?.request.body.toString()).toBe(`caller offer|${hold.toString()}`);
    expect(reinvite?.request.headers.get('content-length')).toBe(
      String(reinvite?.request.body.length),
    );
    const held = Buffer.concat([answer, Buffer.from('a=recvonly\r\n')]);
    reinvite?.user.onResponse?.(phoneResponse(reinvite.request, 200, { body: held }));
    expect(statuses).toEqual([`callee answer|${held.toString()}`]);
    expect(media.relayedBodies.at(-1)).toMatchObject({ from: 'callee', role: 'answer' });
  });

  it('ends the call with media_timeout when the media says RTP stopped', () => {
    const { harness, call, media, tag } = answeredCall();
    call.acknowledged('caller', callerRequest('ACK', 10, tag));
    media.onTimeout?.();
    expect(call.state).toBe('ended');
    expect(harness.ended).toEqual([{ reason: 'media_timeout', status: undefined }]);
    expect(harness.sentOf('BYE')).toHaveLength(2);
    expect(media.lifecycle).toEqual(['stats', 'close']);
  });
});

describe('releasing a call’s media', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  function ringing() {
    const media = new FakeCallMedia();
    const harness = createHarness(media);
    const call = harness.startCall(callerInvite(), [forkTarget('192.0.2.2')], 20_000);
    const invite = harness.sentOf('INVITE')[0];
    if (!invite) throw new Error('no fork');
    return { media, harness, call, invite };
  }

  it('on a BYE from either phone', () => {
    const { call, media, tag } = answeredCall(new FakeCallMedia());
    call.acknowledged('caller', callerRequest('ACK', 10, tag));
    call.inDialogRequest('callee', calleeBye(), () => undefined);
    call.inDialogRequest('callee', calleeBye(), () => undefined);
    expect(media.closed).toBe(1);

    const second = answeredCall(new FakeCallMedia());
    second.call.acknowledged('caller', callerRequest('ACK', 10, second.tag));
    second.call.inDialogRequest('caller', callerRequest('BYE', 11, second.tag), () => undefined);
    expect(second.media.closed).toBe(1);
  });

  it('on CANCEL, on failure and when nobody answers', () => {
    const cancelled = ringing();
    cancelled.call.cancel();
    expect(cancelled.media.closed).toBe(1);

    const failed = ringing();
    failed.invite.user.onResponse?.(phoneResponse(failed.invite.request, 486));
    expect(failed.media.closed).toBe(1);

    const unanswered = ringing();
    vi.advanceTimersByTime(20_000);
    expect(unanswered.harness.ended[0]?.reason).toBe('no_answer');
    expect(unanswered.media.closed).toBe(1);
  });

  it('without an ACK, and at the time limit', () => {
    const noAck = answeredCall(new FakeCallMedia());
    vi.advanceTimersByTime(64 * 500);
    expect(noAck.harness.ended[0]?.reason).toBe('no_ack');
    expect(noAck.media.closed).toBe(1);

    const long = answeredCall(new FakeCallMedia());
    long.call.acknowledged('caller', callerRequest('ACK', 10, long.tag));
    vi.advanceTimersByTime(120_000);
    expect(long.harness.ended[0]?.reason).toBe('max_duration');
    expect(long.media.closed).toBe(1);
    // Statistics are taken before the ports go back.
    expect(long.media.lifecycle).toEqual(['stats', 'close']);
  });
});
