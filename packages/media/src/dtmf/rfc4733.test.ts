import { describe, expect, it } from 'vitest';
import { DTMF_DIGITS, digitToEventCode, eventCodeToDigit, parseDtmfDigit } from './digits.ts';
import { isDtmfError } from './dtmf-error.ts';
import { Rfc4733Receiver, type DtmfReceiverOutput } from './rfc4733-receiver.ts';
import { planDtmfPackets, type PlannedEventPacket } from './rfc4733-sender.ts';
import { decodeTelephoneEvent, encodeTelephoneEvent } from './telephone-event.ts';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return isDtmfError(error) ? error.code : 'not a DtmfError';
  }
  return undefined;
}

/** An event packet as bytes laid out by RFC 4733 §2.3's diagram. */
function eventBytes(event: number, end: boolean, volume: number, duration: number): Buffer {
  return Buffer.from([event, (end ? 0x80 : 0) | volume, duration >> 8, duration & 0xff]);
}

function feed(
  receiver: Rfc4733Receiver,
  packets: readonly { marker?: boolean; timestamp: number; payload: Buffer; at?: number }[],
): DtmfReceiverOutput[] {
  return packets.flatMap((p, i) =>
    receiver.receive(
      { marker: p.marker ?? false, timestamp: p.timestamp, payload: p.payload },
      p.at ?? i * 20,
    ),
  );
}

const begins = (outputs: DtmfReceiverOutput[]): string =>
  outputs.map((o) => (o.kind === 'begin' ? o.digit : '')).join('');

describe('telephone-event payload (RFC 4733 §2.3)', () => {
  it('decodes the fields from raw bytes', () => {
    // Digit 9, E set, R set (ignored by receivers), volume 10, duration 800 (100 ms at 8 kHz).
    const payload = Buffer.from([0x09, 0x80 | 0x40 | 0x0a, 0x03, 0x20]);
    expect(decodeTelephoneEvent(payload)).toEqual({
      event: 9,
      end: true,
      reserved: true,
      volume: 10,
      duration: 800,
    });
  });

  it('encodes with R = 0 and round-trips every field', () => {
    const fields = { event: 11, end: false, volume: 63, duration: 0xffff };
    const bytes = encodeTelephoneEvent(fields);
    expect([...bytes]).toEqual([11, 63, 0xff, 0xff]);
    expect(decodeTelephoneEvent(bytes)).toEqual({ ...fields, reserved: false });
  });

  it('rejects truncated payloads and out-of-range fields', () => {
    expect(codeOf(() => decodeTelephoneEvent(Buffer.from([1, 2, 3])))).toBe('truncated_payload');
    expect(
      codeOf(() => encodeTelephoneEvent({ event: 256, end: false, volume: 0, duration: 0 })),
    ).toBe('invalid_field');
    expect(
      codeOf(() => encodeTelephoneEvent({ event: 1, end: false, volume: 64, duration: 0 })),
    ).toBe('invalid_field');
    expect(
      codeOf(() => encodeTelephoneEvent({ event: 1, end: false, volume: 0, duration: 65536 })),
    ).toBe('invalid_field');
  });

  it('maps the 16 keys to the event codes of §3.2 Table 7', () => {
    expect(DTMF_DIGITS.map(digitToEventCode)).toEqual([...Array(16).keys()]);
    expect(eventCodeToDigit(10)).toBe('*');
    expect(eventCodeToDigit(11)).toBe('#');
    expect(eventCodeToDigit(15)).toBe('D');
    expect(eventCodeToDigit(16)).toBeUndefined();
    expect(parseDtmfDigit(' b ')).toBe('B');
    expect(codeOf(() => parseDtmfDigit('E'))).toBe('unknown_digit');
  });
});

describe('Rfc4733Receiver', () => {
  const five = (duration: number, end = false): Buffer => eventBytes(5, end, 10, duration);

  it('reports one digit per event despite updates and the three end packets', () => {
    const receiver = new Rfc4733Receiver();
    const outputs = feed(receiver, [
      { marker: true, timestamp: 1000, payload: five(0) },
      { timestamp: 1000, payload: five(400) },
      { timestamp: 1000, payload: five(800, true) },
      { timestamp: 1000, payload: five(800, true) },
      { timestamp: 1000, payload: five(800, true) },
    ]);
    expect(outputs).toEqual([
      { kind: 'begin', digit: '5', timestamp: 1000 },
      { kind: 'end', digit: '5', timestamp: 1000, duration: 800, reason: 'end_bit' },
    ]);
  });

  it('takes a new timestamp as a new press of the same key', () => {
    const receiver = new Rfc4733Receiver();
    const outputs = feed(receiver, [
      { marker: true, timestamp: 1000, payload: five(0) },
      { timestamp: 1000, payload: five(800, true) },
      { marker: true, timestamp: 3000, payload: five(0) },
      { timestamp: 1000, payload: five(800, true) }, // a late copy of the first end
      { timestamp: 3000, payload: five(800, true) },
    ]);
    expect(begins(outputs)).toBe('55');
    expect(outputs.filter((o) => o.kind === 'end')).toHaveLength(2);
  });

  it('begins an event whose start packets were lost, even on an end packet', () => {
    const receiver = new Rfc4733Receiver();
    const outputs = feed(receiver, [
      { timestamp: 500, payload: eventBytes(10, true, 10, 960) },
      { timestamp: 2000, payload: eventBytes(11, false, 10, 800) },
    ]);
    expect(outputs[0]).toEqual({ kind: 'begin', digit: '*', timestamp: 500 });
    expect(outputs[1]).toMatchObject({ kind: 'end', digit: '*', duration: 960 });
    expect(outputs[2]).toEqual({ kind: 'begin', digit: '#', timestamp: 2000 });
  });

  it('ends an event superseded by the next one when all its end packets were lost', () => {
    const receiver = new Rfc4733Receiver();
    const outputs = feed(receiver, [
      { marker: true, timestamp: 0, payload: eventBytes(1, false, 10, 400) },
      { marker: true, timestamp: 1600, payload: eventBytes(2, false, 10, 0) },
    ]);
    expect(outputs.map((o) => `${o.kind}:${o.digit}`)).toEqual(['begin:1', 'end:1', 'begin:2']);
    expect(outputs[1]).toMatchObject({ reason: 'superseded', duration: 400 });
  });

  it('ends an event on the clock when its packets stop', () => {
    const receiver = new Rfc4733Receiver({ endTimeoutMs: 300 });
    receiver.receive({ marker: true, timestamp: 0, payload: five(400) }, 1000);
    expect(receiver.poll(1299)).toEqual([]);
    expect(receiver.poll(1300)).toEqual([
      { kind: 'end', digit: '5', timestamp: 0, duration: 400, reason: 'timeout' },
    ]);
    expect(receiver.poll(5000)).toEqual([]);
    // Its end packets arriving afterwards change nothing.
    expect(
      receiver.receive({ marker: false, timestamp: 0, payload: five(800, true) }, 1400),
    ).toEqual([]);
  });

  it('keeps a long event one press across the 0xFFFF duration wrap (§2.5.1.3)', () => {
    const receiver = new Rfc4733Receiver();
    const start = 0xffff_fff0; // the timestamp also wraps past 2^32
    const outputs = feed(receiver, [
      { marker: true, timestamp: start, payload: five(0) },
      { timestamp: start, payload: five(0xffff) },
      { timestamp: (start + 0xffff) >>> 0, payload: five(400) },
      { timestamp: (start + 0xffff) >>> 0, payload: five(800, true) },
    ]);
    expect(begins(outputs)).toBe('5');
    expect(outputs[1]).toMatchObject({ kind: 'end', duration: 0xffff + 800, timestamp: start });
  });

  it('ignores out-of-order updates and keeps the longest duration', () => {
    const receiver = new Rfc4733Receiver();
    const outputs = feed(receiver, [
      { timestamp: 10, payload: five(800) },
      { timestamp: 10, payload: five(400) },
      { timestamp: 10, payload: five(960, true) },
    ]);
    expect(outputs.at(-1)).toMatchObject({ kind: 'end', duration: 960 });
  });

  it('skips non-key events such as flash but lets them end a pressed key', () => {
    const receiver = new Rfc4733Receiver();
    const outputs = feed(receiver, [
      { marker: true, timestamp: 0, payload: five(400) },
      { marker: true, timestamp: 800, payload: eventBytes(16, false, 10, 0) },
      { timestamp: 800, payload: eventBytes(16, true, 10, 800) },
    ]);
    expect(outputs.map((o) => o.kind)).toEqual(['begin', 'end']);
    expect(receiver.reset()).toEqual([]);
  });

  it('rejects a truncated payload with a typed error', () => {
    const receiver = new Rfc4733Receiver();
    expect(codeOf(() => feed(receiver, [{ timestamp: 0, payload: Buffer.from([5]) }]))).toBe(
      'truncated_payload',
    );
  });
});

describe('planDtmfPackets', () => {
  const decoded = (packets: PlannedEventPacket[]) =>
    packets.map((p) => ({
      at: p.sendAtMs,
      m: p.marker,
      ts: p.timestamp,
      ...decodeTelephoneEvent(p.payload),
    }));

  it('sends a start with the marker, 50 ms updates and three end packets', () => {
    const packets = planDtmfPackets({
      digit: '#',
      durationMs: 120,
      startTimestamp: 48_000,
      startAtMs: 10_000,
    });
    expect(
      decoded(packets).map(({ at, m, ts, event, end, duration }) => [
        at,
        m,
        ts,
        event,
        end,
        duration,
      ]),
    ).toEqual([
      [10_000, true, 48_000, 11, false, 0],
      [10_050, false, 48_000, 11, false, 400],
      [10_100, false, 48_000, 11, false, 800],
      [10_120, false, 48_000, 11, true, 960],
      [10_170, false, 48_000, 11, true, 960],
      [10_220, false, 48_000, 11, true, 960],
    ]);
  });

  it('is received as exactly that digit and duration', () => {
    const receiver = new Rfc4733Receiver();
    const outputs = planDtmfPackets({
      digit: 'C',
      durationMs: 200,
      startTimestamp: 7,
      startAtMs: 0,
    }).flatMap((p) => receiver.receive(p, p.sendAtMs));
    expect(outputs).toEqual([
      { kind: 'begin', digit: 'C', timestamp: 7 },
      { kind: 'end', digit: 'C', timestamp: 7, duration: 1600, reason: 'end_bit' },
    ]);
  });

  it('gets every key through the loss of any one packet', () => {
    const plan = [
      ...planDtmfPackets({ digit: '1', durationMs: 160, startTimestamp: 8000, startAtMs: 1000 }),
      ...planDtmfPackets({ digit: '1', durationMs: 160, startTimestamp: 12000, startAtMs: 1500 }),
      ...planDtmfPackets({ digit: '#', durationMs: 160, startTimestamp: 16000, startAtMs: 2000 }),
    ];
    for (let lost = 0; lost < plan.length; lost++) {
      const receiver = new Rfc4733Receiver();
      const outputs = plan
        .filter((_, i) => i !== lost)
        .flatMap((p) => receiver.receive(p, p.sendAtMs));
      expect(begins(outputs)).toBe('11#');
      const ends = outputs.filter((o) => o.kind === 'end');
      expect(ends.map((o) => o.kind === 'end' && o.duration)).toEqual([1280, 1280, 1280]);
    }
  });

  it('splits an event longer than 0xFFFF units into segments the receiver joins', () => {
    const packets = planDtmfPackets({
      digit: '0',
      durationMs: 10_000,
      startTimestamp: 0xffff_0000,
      startAtMs: 0,
    });
    const events = decoded(packets);
    expect(events.every((e) => e.duration <= 0xffff)).toBe(true);
    expect(events.filter((e) => e.m)).toHaveLength(1);
    const boundary = events.find((e) => e.duration === 0xffff);
    expect(boundary).toMatchObject({ ts: 0xffff_0000, end: false });
    expect(events.at(-1)).toMatchObject({
      ts: (0xffff_0000 + 0xffff) >>> 0,
      end: true,
      duration: 80_000 - 0xffff,
    });
    const receiver = new Rfc4733Receiver();
    const outputs = packets.flatMap((p) => receiver.receive(p, p.sendAtMs));
    expect(outputs).toHaveLength(2);
    expect(outputs[1]).toMatchObject({ kind: 'end', duration: 80_000 });
  });

  it('rejects a non-positive duration', () => {
    expect(
      codeOf(() => planDtmfPackets({ digit: '1', durationMs: 0, startTimestamp: 0, startAtMs: 0 })),
    ).toBe('invalid_field');
  });
});
