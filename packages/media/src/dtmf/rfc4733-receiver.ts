import { eventCodeToDigit, type DtmfDigit } from './digits.ts';
import { decodeTelephoneEvent, MAX_EVENT_DURATION } from './telephone-event.ts';

/** What the RTP layer hands over for one telephone-event packet. */
export interface TelephoneEventPacket {
  /** RFC 3550 §5.1 M bit: RFC 4733 §2.5.1.1 sets it on the first packet of an event. */
  readonly marker: boolean;
  /** The RTP timestamp: the event's start (of its segment, for long events). */
  readonly timestamp: number;
  readonly payload: Uint8Array;
}

export type DtmfEndReason =
  /** A packet with the E bit arrived (§2.3.2). */
  | 'end_bit'
  /** A new event started before this one's end packets arrived (all lost). */
  | 'superseded'
  /** No packet for `endTimeoutMs` and no end packet. */
  | 'timeout';

export type DtmfReceiverOutput =
  /** A key was pressed: exactly once per event, on the first packet seen of it. */
  | { readonly kind: 'begin'; readonly digit: DtmfDigit; readonly timestamp: number }
  /** The key was released; `duration` in RTP timestamp units, summed over segments. */
  | {
      readonly kind: 'end';
      readonly digit: DtmfDigit;
      readonly timestamp: number;
      readonly duration: number;
      readonly reason: DtmfEndReason;
    };

export interface Rfc4733ReceiverOptions {
  /**
   * How long an event without an end packet stays pressed after its last packet. RFC 4733
   * §2.5.2 leaves this to the receiver; senders update every 50 ms (§2.5.1.2), so the
   * default tolerates several lost updates.
   */
  readonly endTimeoutMs?: number;
}

interface CurrentEvent {
  readonly event: number;
  /** Undefined for events that are not keys (flash, RFC 4734 tones): never reported. */
  readonly digit: DtmfDigit | undefined;
  /** Timestamp of the first segment: the event's identity for the caller. */
  readonly startTimestamp: number;
  /** Timestamp of the segment being received (§2.5.1.3 long events). */
  segmentTimestamp: number;
  /** Units of the segments before this one. */
  earlierSegments: number;
  duration: number;
  ended: boolean;
  lastPacketAtMs: number;
}

/** Signed distance a → b of two RTP timestamps, modulo 2^32 (RFC 3550 §5.1 wraps). */
function timestampDelta(from: number, to: number): number {
  return (to - from) | 0;
}

/**
 * Turns a stream of RFC 4733 telephone-event packets (one SSRC) into key presses:
 *  - every packet of an event carries the event's start timestamp (§2.5.1.1), so the same
 *    timestamp is the same event and a new timestamp a new one — pressing "5" twice is
 *    two events with two timestamps;
 *  - the end packet is sent three times (§2.5.1.4): the copies, and any late packet of an
 *    ended or older event, change nothing;
 *  - the first packets (with the marker bit) may be lost: whatever packet of a new
 *    timestamp comes first begins the event, even if it is already an end packet;
 *  - an event longer than 0xFFFF units continues in a new segment whose timestamp is the
 *    old one plus 0xFFFF, without the marker bit (§2.5.1.3, §2.5.2.3): that is the same
 *    key press, not a new one.
 * The clock is a parameter: `receive` and `poll` take the current time in milliseconds.
 * Call `reset` when the stream's SSRC changes.
 */
export class Rfc4733Receiver {
  private current: CurrentEvent | undefined;
  private readonly endTimeoutMs: number;

  constructor(options: Rfc4733ReceiverOptions = {}) {
    this.endTimeoutMs = options.endTimeoutMs ?? 500;
  }

  /** Throws DtmfError for a payload too short to be a telephone event. */
  receive(packet: TelephoneEventPacket, nowMs: number): DtmfReceiverOutput[] {
    const payload = decodeTelephoneEvent(packet.payload);
    const digit = eventCodeToDigit(payload.event);
    const current = this.current;

    if (current) {
      const delta = timestampDelta(current.segmentTimestamp, packet.timestamp);
      if (delta === 0) {
        // Same event: a retransmitted end, a late update, or an update to apply.
        if (current.ended || payload.event !== current.event) return [];
        return this.update(current, payload.duration, payload.end, nowMs);
      }
      if (delta < 0) return []; // a late packet of an earlier event
      const continues =
        !current.ended &&
        !packet.marker &&
        payload.event === current.event &&
        delta === MAX_EVENT_DURATION;
      if (continues) {
        current.earlierSegments += MAX_EVENT_DURATION;
        current.segmentTimestamp = packet.timestamp;
        current.duration = 0;
        return this.update(current, payload.duration, payload.end, nowMs);
      }
    }

    const outputs = current && !current.ended ? this.finish(current, 'superseded') : [];
    // Events other than the 16 keys (flash, tones of RFC 4734) are not digits; they still
    // end the previous key and mark their timestamp as seen.
    this.current = {
      event: payload.event,
      digit,
      startTimestamp: packet.timestamp,
      segmentTimestamp: packet.timestamp,
      earlierSegments: 0,
      duration: 0,
      ended: digit === undefined,
      lastPacketAtMs: nowMs,
    };
    if (digit === undefined) return outputs;
    outputs.push({ kind: 'begin', digit, timestamp: packet.timestamp });
    return [...outputs, ...this.update(this.current, payload.duration, payload.end, nowMs)];
  }

  /** Ends a pressed key whose packets stopped without an end packet. */
  poll(nowMs: number): DtmfReceiverOutput[] {
    const current = this.current;
    if (!current || current.ended || nowMs - current.lastPacketAtMs < this.endTimeoutMs) {
      return [];
    }
    return this.finish(current, 'timeout');
  }

  /** Forgets the current event (a new SSRC starts a new timestamp space). */
  reset(): DtmfReceiverOutput[] {
    const current = this.current;
    this.current = undefined;
    return current && !current.ended ? this.finish(current, 'superseded') : [];
  }

  private update(
    current: CurrentEvent,
    duration: number,
    end: boolean,
    nowMs: number,
  ): DtmfReceiverOutput[] {
    // Updates can arrive out of order; the duration only grows within a segment.
    current.duration = Math.max(current.duration, duration);
    current.lastPacketAtMs = nowMs;
    return end ? this.finish(current, 'end_bit') : [];
  }

  private finish(current: CurrentEvent, reason: DtmfEndReason): DtmfReceiverOutput[] {
    current.ended = true;
    if (current.digit === undefined) return [];
    const duration = current.earlierSegments + current.duration;
    return [
      { kind: 'end', digit: current.digit, timestamp: current.startTimestamp, duration, reason },
    ];
  }
}
