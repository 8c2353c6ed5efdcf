import { afterEach, describe, expect, it } from 'vitest';
import { decodeAlaw, decodeMulaw } from '../codec/g711.ts';
import { encodeTelephoneEvent } from '../dtmf/telephone-event.ts';
import { listenForDtmf } from '../dtmf/leg-dtmf-listener.ts';
import { type DtmfDigit } from '../dtmf/digits.ts';
import { encodeMulaw } from '../codec/g711.ts';
import { PROMPT_FRAME_SAMPLES, type Prompt } from '../audio/prompt.ts';
import { isPlayerError, playPrompts } from '../player/prompt-player.ts';
import { parseRtpPacket, serializeRtpPacket, type RtpPacket } from '../rtp/rtp-packet.ts';
import { openRawPeer, portPool, type RawPeer } from '../session/loopback-fixtures.ts';
import { type LegFormat } from './leg-format.ts';
import { joinLegs } from './leg-relay.ts';
import { MediaLeg } from './media-leg.ts';

/**
 * A media leg between Provod and one loopback "phone" (a raw UDP socket): prompts played
 * into it, keys read from it, and two legs joined and parted.
 */
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

const PCMU = { encodingName: 'PCMU', clockRate: 8000, channels: 1 };
const PCMA = { encodingName: 'PCMA', clockRate: 8000, channels: 1 };

function format(phonePort: number, overrides: Partial<LegFormat> = {}): LegFormat {
  return {
    codec: PCMU,
    sendPayloadType: 0,
    receivePayloadType: 0,
    telephoneEvent: { sendPayloadType: 101, receivePayloadType: 101 },
    receiving: true,
    remote: { address: '127.0.0.1', port: phonePort },
    remoteRtcp: null,
    ...overrides,
  };
}

async function legWithPhone(legs = 1) {
  const pool = await portPool(legs);
  const opened: MediaLeg[] = [];
  const phones: RawPeer[] = [];
  for (let i = 0; i < legs; i++) {
    const leg = await MediaLeg.open({
      pool,
      bindAddress: '127.0.0.1',
      cname: 'leg@test',
      onMediaTimeout: () => undefined,
      onError: () => undefined,
    });
    const phone = await openRawPeer();
    cleanup.push(
      () => phone.close(),
      () => leg.close(),
    );
    opened.push(leg);
    phones.push(phone);
  }
  return { legs: opened, phones };
}

/** A prompt of `frames` frames of a constant level, so decoded audio can be compared. */
function flatPrompt(frames: number, level = 3000): Prompt {
  return {
    frames: Array.from({ length: frames }, () => new Int16Array(PROMPT_FRAME_SAMPLES).fill(level)),
    durationMs: frames * 20,
    source: { encoding: 'pcm16', sampleRate: 8000, channels: 1 },
  };
}

async function receive(phone: RawPeer, count: number): Promise<RtpPacket[]> {
  const packets: RtpPacket[] = [];
  while (packets.length < count) packets.push(parseRtpPacket(await phone.received.next()));
  return packets;
}

function rtp(fields: Partial<RtpPacket> & Pick<RtpPacket, 'payloadType' | 'payload'>): Buffer {
  return serializeRtpPacket({
    marker: false,
    sequenceNumber: 1,
    timestamp: 0,
    ssrc: 0x1234,
    csrcs: [],
    extension: null,
    paddingLength: 0,
    ...fields,
  });
}

describe('a media leg', () => {
  it('plays a prompt as in-order 20 ms packets of the leg’s codec, one stream', async () => {
    const { legs, phones } = await legWithPhone();
    const [leg, phone] = [legs[0], phones[0]];
    if (leg === undefined || phone === undefined) throw new Error('no leg');
    leg.configure(format(phone.port));
    expect(await playPrompts(leg, [flatPrompt(5)])).toBe('finished');
    const packets = await receive(phone, 5);
    expect(packets.map((p) => p.payloadType)).toEqual([0, 0, 0, 0, 0]);
    expect(packets.map((p) => p.marker)).toEqual([true, false, false, false, false]);
    expect(new Set(packets.map((p) => p.ssrc)).size).toBe(1);
    for (let i = 1; i < packets.length; i++) {
      const [before, after] = [packets[i - 1], packets[i]];
      expect(((after?.timestamp ?? 0) - (before?.timestamp ?? 0)) >>> 0).toBe(160);
      expect(((after?.sequenceNumber ?? 0) - (before?.sequenceNumber ?? 0)) & 0xffff).toBe(1);
    }
    const decoded = decodeMulaw(packets[2]?.payload ?? new Uint8Array());
    expect(Math.abs((decoded[80] ?? 0) - 3000)).toBeLessThan(200);
  });

  it('encodes for an A-law leg, and refuses a codec it cannot play', async () => {
    const { legs, phones } = await legWithPhone();
    const [leg, phone] = [legs[0], phones[0]];
    if (leg === undefined || phone === undefined) throw new Error('no leg');
    leg.configure(format(phone.port, { codec: PCMA, sendPayloadType: 8, receivePayloadType: 8 }));
    await playPrompts(leg, [flatPrompt(1, -2000)]);
    const [packet] = await receive(phone, 1);
    expect(packet?.payloadType).toBe(8);
    expect(
      Math.abs((decodeAlaw(packet?.payload ?? new Uint8Array())[10] ?? 0) + 2000),
    ).toBeLessThan(200);
    const g722 = { encodingName: 'G722', clockRate: 8000, channels: 1 };
    leg.configure(format(phone.port, { codec: g722, sendPayloadType: 9, receivePayloadType: 9 }));
    const refused = await playPrompts(leg, [flatPrompt(1)]).catch((error: unknown) => error);
    expect(isPlayerError(refused)).toBe(true);
  });

  it('stops a looping prompt within a frame of the abort', async () => {
    const { legs, phones } = await legWithPhone();
    const [leg, phone] = [legs[0], phones[0]];
    if (leg === undefined || phone === undefined) throw new Error('no leg');
    leg.configure(format(phone.port));
    const stop = new AbortController();
    const playing = playPrompts(leg, [flatPrompt(2)], { signal: stop.signal, loop: true });
    await receive(phone, 6);
    stop.abort();
    expect(await playing).toBe('stopped');
    const sent = leg.stats().rtp.sent.packets;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(leg.stats().rtp.sent.packets).toBe(sent);
    expect(sent).toBeGreaterThanOrEqual(6);
  });

  it('says why it sends nothing: unconfigured, on hold, no events negotiated', async () => {
    const { legs, phones } = await legWithPhone();
    const [leg, phone] = [legs[0], phones[0]];
    if (leg === undefined || phone === undefined) throw new Error('no leg');
    const source = { ssrc: 1, timestamp: 0, marker: false };
    const voice = { kind: 'voice', payload: new Uint8Array(160) } as const;
    expect(leg.send(source, voice)).toBe('unconfigured');
    leg.configure(format(phone.port, { receiving: false }));
    expect(leg.send(source, voice)).toBe('hold');
    leg.configure(format(phone.port, { telephoneEvent: null }));
    expect(leg.send(source, { kind: 'event', payload: new Uint8Array(4) })).toBe('no_events');
    expect(leg.send(source, voice)).toBe('sent');
    // A played prompt on an unconfigured leg keeps time and sends nothing.
    await leg.close();
    expect(await playPrompts(leg, [flatPrompt(2)])).toBe('finished');
  });

  it('reads keys sent as RFC 4733 events once per press, redundant end packets included', async () => {
    const { legs, phones } = await legWithPhone();
    const [leg, phone] = [legs[0], phones[0]];
    if (leg === undefined || phone === undefined) throw new Error('no leg');
    leg.configure(format(phone.port));
    const digits: [DtmfDigit, string][] = [];
    listenForDtmf(leg, (digit, via) => digits.push([digit, via]));
    let sequence = 100;
    for (const [event, start] of [
      [5, 8000],
      [11, 16000],
    ] as const) {
      for (const [duration, end] of [
        [160, false],
        [320, false],
        [480, true],
        [480, true],
        [480, true],
      ] as const) {
        const payload = encodeTelephoneEvent({ event, end, volume: 10, duration });
        await phone.send(
          rtp({
            payloadType: 101,
            payload,
            sequenceNumber: sequence++,
            timestamp: start,
            marker: duration === 160,
          }),
          leg.localPort,
        );
      }
    }
    await waitFor(() => digits.length === 2);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(digits).toEqual([
      ['5', 'rfc4733'],
      ['#', 'rfc4733'],
    ]);
  });

  it('hears keys as tones in the audio when the leg has no telephone-event', async () => {
    const { legs, phones } = await legWithPhone();
    const [leg, phone] = [legs[0], phones[0]];
    if (leg === undefined || phone === undefined) throw new Error('no leg');
    leg.configure(format(phone.port, { telephoneEvent: null }));
    const digits: DtmfDigit[] = [];
    listenForDtmf(leg, (digit) => digits.push(digit));
    // '8' is 852 Hz + 1336 Hz (ITU-T Q.23): 100 ms of it, then 100 ms of silence.
    for (let frame = 0; frame < 10; frame++) {
      const pcm = new Int16Array(160);
      for (let i = 0; i < 160 && frame < 5; i++) {
        const t = (frame * 160 + i) / 8000;
        pcm[i] = Math.round(
          6000 * (Math.sin(2 * Math.PI * 852 * t) + Math.sin(2 * Math.PI * 1336 * t)),
        );
      }
      await phone.send(
        rtp({
          payloadType: 0,
          payload: encodeMulaw(pcm),
          sequenceNumber: frame + 1,
          timestamp: frame * 160,
        }),
        leg.localPort,
      );
    }
    await waitFor(() => digits.length === 1);
    expect(digits).toEqual(['8']);
  });

  it('joins two legs both ways with transcoding, and parts them again', async () => {
    const { legs, phones } = await legWithPhone(2);
    const [a, b] = legs;
    const [phoneA, phoneB] = phones;
    if (a === undefined || b === undefined || phoneA === undefined || phoneB === undefined) {
      throw new Error('no legs');
    }
    a.configure(format(phoneA.port));
    b.configure(format(phoneB.port, { codec: PCMA, sendPayloadType: 8, receivePayloadType: 8 }));
    const relay = joinLegs(a, b);
    // The first packet of a source is on probation (RFC 3550 A.1): the second one passes.
    for (const sequenceNumber of [1, 2]) {
      const payload = new Uint8Array(160).fill(0x7f);
      await phoneA.send(rtp({ payloadType: 0, payload, sequenceNumber }), a.localPort);
      await phoneB.send(
        rtp({ payloadType: 8, payload: new Uint8Array(160).fill(0xd5), sequenceNumber }),
        b.localPort,
      );
    }
    const [atB] = await receive(phoneB, 1);
    expect(atB?.payloadType).toBe(8);
    const [atA] = await receive(phoneA, 1);
    expect(atA?.payloadType).toBe(0);
    expect(a.stats()).toMatchObject({ relayed: 1, transcoded: 1 });
    relay.stop();
    await phoneA.send(
      rtp({ payloadType: 0, payload: new Uint8Array(160), sequenceNumber: 3, timestamp: 160 }),
      a.localPort,
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(phoneB.received.size).toBe(0);
    expect(a.stats().relayed).toBe(1);
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !condition(); i++) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
