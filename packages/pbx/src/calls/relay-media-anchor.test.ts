import { createSocket, type Socket } from 'node:dgram';
import { parseRtpPacket, serializeRtpPacket } from '@provod/media';
import { parseMessage, parseSdp, type SipRequest, type SipResponse } from '@provod/sip';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CallMedia } from './media-anchor.ts';
import { createRelayMediaAnchor } from './relay-media-anchor.ts';

/**
 * The relay anchor with real sockets on 127.0.0.1: phones are bare UDP sockets, SDP
 * bodies are written as the phones would write them.
 */
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

interface Phone {
  readonly port: number;
  readonly received: Buffer[];
  send(bytes: Buffer, port: number): Promise<void>;
}

async function phone(): Promise<Phone> {
  const socket: Socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const received: Buffer[] = [];
  socket.on('message', (datagram) => received.push(datagram));
  cleanup.push(() => new Promise((resolve) => socket.close(() => resolve())));
  return {
    port: socket.address().port,
    received,
    send: (bytes, port) =>
      new Promise((resolve, reject) =>
        socket.send(bytes, port, '127.0.0.1', (error) => (error ? reject(error) : resolve())),
      ),
  };
}

/** A range of `pairs` RTP port pairs starting at a port free right now (taken pairs are skipped). */
async function portRange(pairs: number): Promise<{ min: number; max: number }> {
  const probe = await phone();
  const min = probe.port - (probe.port % 2) + 2;
  return { min, max: Math.min(65535, min + pairs * 2 - 1) };
}

function anchor(pairs: number, rtpPorts: { min: number; max: number }, timeoutMs: number | null) {
  const created = createRelayMediaAnchor({
    rtpPorts,
    bindAddress: '127.0.0.1',
    advertisedHost: '127.0.0.1',
    mediaTimeoutMs: timeoutMs,
    onError: () => undefined,
  });
  expect(created.pool.capacity).toBe(pairs);
  return created;
}

function sdp(port: number, extra = '', protocol = 'RTP/AVP', formats = '0 8 101'): Buffer {
  return Buffer.from(
    [
      'v=0',
      'o=phone 7 7 IN IP4 127.0.0.1',
      's=-',
      'c=IN IP4 127.0.0.1',
      't=0 0',
      `m=audio ${port} ${protocol} ${formats}`,
      'a=rtpmap:101 telephone-event/8000',
      'a=rtcp:9999',
      ...(extra === '' ? [] : [extra]),
      '',
    ].join('\r\n'),
  );
}

function invite(body: Buffer): SipRequest {
  return message('INVITE sip:102@demo.provod.local SIP/2.0', body) as SipRequest;
}

function ok(body: Buffer): SipResponse {
  return message('SIP/2.0 200 OK', body) as SipResponse;
}

function message(startLine: string, body: Buffer): SipRequest | SipResponse {
  const head = [
    startLine,
    'Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKtest',
    'From: <sip:101@demo.provod.local>;tag=a',
    'To: <sip:102@demo.provod.local>',
    'Call-ID: anchor-test',
    `CSeq: 1 ${startLine.startsWith('SIP') ? 'INVITE' : startLine.split(' ')[0]}`,
    ...(body.length > 0 ? ['Content-Type: application/sdp'] : []),
    `Content-Length: ${body.length}`,
    '',
    '',
  ].join('\r\n');
  return parseMessage(Buffer.concat([Buffer.from(head), body]));
}

async function opened(created: ReturnType<typeof anchor>, body: Buffer): Promise<CallMedia> {
  const opening = await created.open(invite(body));
  if (opening.kind !== 'opened') throw new Error('no ports');
  cleanup.push(() => opening.media.close());
  return opening.media;
}

function rtp(sequenceNumber: number, payloadType = 8): Buffer {
  return serializeRtpPacket({
    marker: false,
    payloadType,
    sequenceNumber,
    timestamp: sequenceNumber * 160,
    ssrc: 0xabc,
    csrcs: [],
    extension: null,
    payload: Buffer.alloc(160, 0xd5),
    paddingLength: 0,
  });
}

describe('the relay media anchor', () => {
  it('points each phone at its own Provod port and relays RTP between them', async () => {
    const created = anchor(4, await portRange(4), null);
    const [caller, callee] = [await phone(), await phone()];
    const media = await opened(created, sdp(caller.port));
    expect(created.pool.allocated).toBe(2);

    const offerToCallee = parseSdp(media.relayBody('caller', invite(sdp(caller.port)), 'offer'));
    const calleeFacing = offerToCallee.media[0]?.port ?? 0;
    expect(offerToCallee.connection?.address).toBe('127.0.0.1');
    expect(offerToCallee.origin.username).toBe('provod');
    expect(offerToCallee.media[0]?.formats).toEqual(['0', '8', '101']);
    // The caller's RTCP port means nothing to the callee: Provod's is port + 1.
    expect(offerToCallee.media[0]?.attributes.some((a) => a.kind === 'other')).toBe(false);

    const answer = sdp(callee.port, '', 'RTP/AVP', '8 101');
    const answerToCaller = parseSdp(media.relayBody('callee', ok(answer), 'answer'));
    const callerFacing = answerToCaller.media[0]?.port ?? 0;
    expect(new Set([calleeFacing, callerFacing, caller.port, callee.port]).size).toBe(4);
    expect(answerToCaller.media[0]?.formats).toEqual(['8', '101']);
    media.answered(() => undefined);

    for (let n = 0; n < 4; n++) await caller.send(rtp(n), callerFacing);
    await vi.waitFor(() => expect(callee.received.length).toBe(3));
    expect(callee.received.map((bytes) => parseRtpPacket(bytes).payloadType)).toEqual([8, 8, 8]);
    for (let n = 0; n < 3; n++) await callee.send(rtp(100 + n), calleeFacing);
    await vi.waitFor(() => expect(caller.received.length).toBe(2));
    expect(media.stats()?.caller.relayed).toBe(3);
    expect(media.stats()?.callee.relayed).toBe(2);

    await media.close();
    expect(created.pool.allocated).toBe(0);
    // Taken before close, kept after: what the call log stores.
    expect(media.stats()?.callee.rtp.sent.packets).toBe(3);
  });

  it('keeps the o= version for the same SDP and raises it by one when it changes', async () => {
    const created = anchor(2, await portRange(2), null);
    const media = await opened(created, sdp(4000));
    media.relayBody('caller', invite(sdp(4000)), 'offer');
    const version = (body: Buffer) => parseSdp(body).origin.sessionVersion;
    const early = media.relayBody('callee', ok(sdp(5000)), 'answer');
    const final = media.relayBody('callee', ok(sdp(5000)), 'answer');
    const changed = media.relayBody('callee', ok(sdp(5000, 'a=sendonly')), 'offer');
    expect([version(early), version(final), version(changed)]).toEqual([1n, 1n, 2n]);
  });

  it('passes WebRTC calls through and takes no ports for them', async () => {
    const created = anchor(2, await portRange(2), null);
    const webrtc = sdp(9, 'a=ice-ufrag:abcd', 'UDP/TLS/RTP/SAVPF', '111 0 8');
    const media = await opened(created, webrtc);
    expect(created.pool.allocated).toBe(0);
    expect(media.relayBody('caller', invite(webrtc), 'offer')).toEqual(webrtc);
    expect(media.stats()).toBeUndefined();
  });

  it('with a late offer, anchors a phone’s offer, and releases the ports for a browser’s', async () => {
    const created = anchor(4, await portRange(4), null);
    const media = await opened(created, Buffer.alloc(0));
    expect(created.pool.allocated).toBe(2);
    const offerToCaller = parseSdp(media.relayBody('callee', ok(sdp(5000)), 'offer'));
    expect(offerToCaller.media[0]?.port).not.toBe(5000);
    const ack = message('ACK sip:provod@127.0.0.1 SIP/2.0', sdp(4000));
    expect(parseSdp(media.relayBody('caller', ack, 'answer')).media[0]?.port).not.toBe(4000);

    const browserCall = await opened(created, Buffer.alloc(0));
    expect(created.pool.allocated).toBe(4);
    const webrtc = sdp(9, 'a=ice-ufrag:abcd', 'UDP/TLS/RTP/SAVPF', '111 0 8');
    expect(browserCall.relayBody('callee', ok(webrtc), 'offer')).toEqual(webrtc);
    await vi.waitFor(() => expect(created.pool.allocated).toBe(2));
  });

  it('refuses a call when no port pairs are left, leaving none taken', async () => {
    const created = anchor(1, await portRange(1), null);
    expect(await created.open(invite(sdp(4000)))).toEqual({ kind: 'exhausted' });
    expect(created.pool.allocated).toBe(0);
  });

  it('relays unparsable SDP unchanged, for the phones to refuse', async () => {
    const created = anchor(2, await portRange(2), null);
    const media = await opened(created, sdp(4000));
    const broken = Buffer.from('v=0\r\nthis is not SDP\r\n');
    expect(media.relayBody('caller', invite(broken), 'offer')).toEqual(broken);
  });

  it('ends a silent call, but not while one side holds', async () => {
    const created = anchor(4, await portRange(4), 40);
    const silent = await opened(created, sdp(4000));
    silent.relayBody('caller', invite(sdp(4000)), 'offer');
    silent.relayBody('callee', ok(sdp(5000)), 'answer');
    let timedOut = 0;
    silent.answered(() => timedOut++);
    await vi.waitFor(() => expect(timedOut).toBe(1));

    const held = await opened(created, sdp(4000));
    held.relayBody('caller', invite(sdp(4000)), 'offer');
    held.relayBody('callee', ok(sdp(5000)), 'answer');
    held.relayBody('caller', invite(sdp(4000, 'a=sendonly')), 'offer');
    held.relayBody('callee', ok(sdp(5000, 'a=recvonly')), 'answer');
    let heldTimedOut = 0;
    held.answered(() => heldTimedOut++);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(heldTimedOut).toBe(0);
    held.relayBody('caller', invite(sdp(4000)), 'offer');
    held.relayBody('callee', ok(sdp(5000)), 'answer');
    await vi.waitFor(() => expect(heldTimedOut).toBe(1));
  });
});
