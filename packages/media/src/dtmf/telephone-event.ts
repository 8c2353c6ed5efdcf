import { DtmfError } from './dtmf-error.ts';

/**
 * One RFC 4733 telephone-event payload (§2.3):
 *
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     event     |E|R| volume    |          duration             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */
export interface TelephoneEvent {
  /** §2.3.1: the event code (RFC 4733 §3.2 Table 7 for DTMF). */
  readonly event: number;
  /** §2.3.2 E bit: this packet ends the event. */
  readonly end: boolean;
  /** §2.3.3 R bit: reserved; senders set 0 and receivers ignore it, we only report it. */
  readonly reserved: boolean;
  /** §2.3.4: power level in −dBm0, 0–63 (larger is quieter). */
  readonly volume: number;
  /** §2.3.5: duration so far in RTP timestamp units, from the event's timestamp. */
  readonly duration: number;
}

export const TELEPHONE_EVENT_PAYLOAD_LENGTH = 4;
/** §2.3.5: the largest duration one segment can carry (§2.5.1.3 splits longer events). */
export const MAX_EVENT_DURATION = 0xffff;

/**
 * Decodes the first event of a telephone-event payload. §2.5.1.5 allows several events
 * in one packet (4 bytes each); DTMF senders do not use that, so we read the first and
 * ignore the rest.
 */
export function decodeTelephoneEvent(payload: Uint8Array): TelephoneEvent {
  if (payload.length < TELEPHONE_EVENT_PAYLOAD_LENGTH) {
    throw new DtmfError(
      'truncated_payload',
      `telephone-event payload has ${payload.length} bytes, needs ${TELEPHONE_EVENT_PAYLOAD_LENGTH}`,
    );
  }
  const event = payload[0] ?? 0;
  const flags = payload[1] ?? 0;
  return {
    event,
    end: (flags & 0x80) !== 0,
    reserved: (flags & 0x40) !== 0,
    volume: flags & 0x3f,
    duration: ((payload[2] ?? 0) << 8) | (payload[3] ?? 0),
  };
}

export interface TelephoneEventFields {
  readonly event: number;
  readonly end: boolean;
  readonly volume: number;
  readonly duration: number;
}

function checkRange(name: string, value: number, max: number): void {
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new DtmfError('invalid_field', `telephone-event ${name} ${value} is not in 0-${max}`);
  }
}

/** Encodes one event; the R bit is always 0 (§2.3.3). */
export function encodeTelephoneEvent(fields: TelephoneEventFields): Buffer {
  checkRange('event', fields.event, 0xff);
  checkRange('volume', fields.volume, 0x3f);
  checkRange('duration', fields.duration, MAX_EVENT_DURATION);
  const payload = Buffer.alloc(TELEPHONE_EVENT_PAYLOAD_LENGTH);
  payload[0] = fields.event;
  payload[1] = (fields.end ? 0x80 : 0) | fields.volume;
  payload.writeUInt16BE(fields.duration, 2);
  return payload;
}
