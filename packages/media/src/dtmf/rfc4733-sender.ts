import { digitToEventCode, type DtmfDigit } from './digits.ts';
import { DtmfError } from './dtmf-error.ts';
import { encodeTelephoneEvent, MAX_EVENT_DURATION } from './telephone-event.ts';

export interface DtmfSendOptions {
  readonly digit: DtmfDigit;
  /** How long the key is held, in ms (ITU-T Q.24 receivers accept ≥ 40 ms; 100 is usual). */
  readonly durationMs: number;
  /** The RTP timestamp of the moment the key goes down, in the voice stream's clock. */
  readonly startTimestamp: number;
  /** The clock reading (ms) at which the first packet goes out. */
  readonly startAtMs: number;
  /** RFC 4733 §7.1.1: the voice codec's clock rate; 8000 for G.711. */
  readonly clockRate?: number;
  /** §2.3.4: power level in −dBm0 (0–63); 10 is a typical keypad level. */
  readonly volume?: number;
  /** §2.5.1.2: how often the duration is updated while the key is held. */
  readonly updateIntervalMs?: number;
}

/** One telephone-event packet to hand to the RTP session at `sendAtMs`. */
export interface PlannedEventPacket {
  readonly sendAtMs: number;
  readonly marker: boolean;
  readonly timestamp: number;
  readonly payload: Buffer;
  readonly end: boolean;
}

/** §2.5.1.4: the final packet is sent three times, so one lost copy loses nothing. */
export const END_PACKET_COPIES = 3;

/**
 * The packets that send one key press by RFC 4733 §2.5.1, in send order, as a plan for a
 * clock-driven sender (pure: time comes in as `startAtMs`):
 *  - the first packet has the RTP marker bit (§2.5.1.1) and duration 0;
 *  - every `updateIntervalMs` an update carries the duration so far, all with the
 *    timestamp of the event's start (§2.5.1.1-2), not of the send time;
 *  - when the key is released, the final duration goes out with the E bit three times at
 *    the update interval (§2.5.1.4);
 *  - an event longer than 0xFFFF units (8.19 s at 8 kHz) is split into segments
 *    (§2.5.1.3): a segment's last packet says 0xFFFF, and the next segment's timestamp is
 *    the previous one plus 0xFFFF, without the marker bit.
 * Sequence numbers are the RTP session's to assign.
 */
export function planDtmfPackets(options: DtmfSendOptions): PlannedEventPacket[] {
  const clockRate = options.clockRate ?? 8000;
  const interval = options.updateIntervalMs ?? 50;
  const volume = options.volume ?? 10;
  if (!(options.durationMs > 0) || !Number.isFinite(options.durationMs)) {
    throw new DtmfError('invalid_field', `DTMF duration ${options.durationMs} ms is not positive`);
  }
  if (!(interval > 0)) {
    throw new DtmfError('invalid_field', `update interval ${interval} ms is not positive`);
  }
  const event = digitToEventCode(options.digit);
  const unitsPerMs = clockRate / 1000;
  const totalUnits = Math.round(options.durationMs * unitsPerMs);
  const packets: PlannedEventPacket[] = [];

  const packetAt = (elapsedMs: number, elapsedUnits: number, end: boolean): PlannedEventPacket => {
    // Which segment this moment falls in; a segment's final update (exactly 0xFFFF) still
    // belongs to it. Timestamps wrap modulo 2^32 (RFC 3550 §5.1).
    const segment = Math.max(0, Math.ceil(elapsedUnits / MAX_EVENT_DURATION) - 1);
    const timestamp = (options.startTimestamp + segment * MAX_EVENT_DURATION) >>> 0;
    return {
      sendAtMs: options.startAtMs + elapsedMs,
      marker: elapsedUnits === 0,
      timestamp,
      payload: encodeTelephoneEvent({
        event,
        end,
        volume,
        duration: elapsedUnits - segment * MAX_EVENT_DURATION,
      }),
      end,
    };
  };

  let segmentEnd = MAX_EVENT_DURATION;
  for (let elapsedMs = 0; elapsedMs < options.durationMs; elapsedMs += interval) {
    const elapsedUnits = Math.round(elapsedMs * unitsPerMs);
    // A segment boundary between two updates gets its own final packet (§2.5.1.3).
    while (elapsedUnits > segmentEnd) {
      packets.push(packetAt(segmentEnd / unitsPerMs, segmentEnd, false));
      segmentEnd += MAX_EVENT_DURATION;
    }
    packets.push(packetAt(elapsedMs, elapsedUnits, false));
  }
  while (totalUnits > segmentEnd) {
    packets.push(packetAt(segmentEnd / unitsPerMs, segmentEnd, false));
    segmentEnd += MAX_EVENT_DURATION;
  }
  for (let copy = 0; copy < END_PACKET_COPIES; copy++) {
    const final = packetAt(options.durationMs, totalUnits, true);
    packets.push({ ...final, sendAtMs: final.sendAtMs + copy * interval });
  }
  return packets;
}
