/**
 * Symmetric RTP / latching (RFC 4961 §3 explains why endpoints send from the port they
 * receive on; RFC 7362 §4 describes latching and its spoofing risk). The address in the
 * SDP is a first guess: a phone behind NAT announces its private address, and its packets
 * really come from the NAT's public one. So we send where media comes from.
 *
 * What we chose:
 *  - Before latching ('expected'), the first packet that passes the session's checks
 *    (parses, a negotiated payload type, the SDP's SSRC if it named one) latches us to
 *    its source. Waiting longer costs the first words of the call; a spoofer would have
 *    to win a race against the phone, on a port it had to guess.
 *  - Once latched, packets from any other address are dropped. Another source takes
 *    over only after `relatchAfterPackets` packets in sequence (same SSRC, each sequence
 *    number one more than the last) with nothing from the latched source in between —
 *    a NAT rebinding looks exactly like that, while a spoofer who injects packets while
 *    the phone is still talking never gets a run of N.
 *  - A new SDP (re-INVITE) goes back to 'expected' with the new address.
 */
export interface MediaAddress {
  readonly address: string;
  readonly port: number;
}

interface Candidate {
  readonly source: MediaAddress;
  readonly ssrc: number;
  readonly lastSequence: number;
  readonly count: number;
}

export type LatchState =
  | { readonly kind: 'expected'; readonly remote: MediaAddress | null }
  | {
      readonly kind: 'latched';
      readonly remote: MediaAddress;
      readonly ssrc: number;
      readonly candidate: Candidate | null;
    };

/** What to do with a packet: deliver it, deliver it and report a (re)latch, or drop it. */
export type LatchDecision = 'accept' | 'latched' | 'relatched' | 'drop';

export const DEFAULT_RELATCH_AFTER_PACKETS = 5;

export class RtpLatch {
  private current: LatchState;

  constructor(
    expected: MediaAddress | null,
    private readonly relatchAfterPackets: number = DEFAULT_RELATCH_AFTER_PACKETS,
  ) {
    this.current = { kind: 'expected', remote: expected };
  }

  get state(): LatchState {
    return this.current;
  }

  /** Where to send: the latched source, else the SDP's address. */
  get sendTarget(): MediaAddress | null {
    return this.current.remote;
  }

  /** A new offer or answer named a new address: learn again (see above). */
  expect(remote: MediaAddress | null): void {
    this.current = { kind: 'expected', remote };
  }

  observe(source: MediaAddress, ssrc: number, sequenceNumber: number): LatchDecision {
    const state = this.current;
    if (state.kind === 'expected') {
      this.current = { kind: 'latched', remote: source, ssrc, candidate: null };
      return 'latched';
    }
    if (sameAddress(source, state.remote)) {
      // The latched source is alive: any run another source was building starts over.
      this.current = { ...state, ssrc, candidate: null };
      return 'accept';
    }
    const previous = state.candidate;
    const continues =
      previous !== null &&
      sameAddress(previous.source, source) &&
      previous.ssrc === ssrc &&
      sequenceNumber === (previous.lastSequence + 1) % 0x1_0000;
    const candidate: Candidate = {
      source,
      ssrc,
      lastSequence: sequenceNumber,
      count: continues ? previous.count + 1 : 1,
    };
    if (candidate.count >= this.relatchAfterPackets) {
      this.current = { kind: 'latched', remote: source, ssrc, candidate: null };
      return 'relatched';
    }
    this.current = { ...state, candidate };
    return 'drop';
  }
}

export function sameAddress(a: MediaAddress, b: MediaAddress): boolean {
  return a.address === b.address && a.port === b.port;
}
