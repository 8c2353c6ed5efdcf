/**
 * The media timeout: a call whose media stopped (the phone lost power or network, a NAT
 * mapping expired) would otherwise stay up until someone notices. After `timeoutMs`
 * without an RTP packet the watch reports once, and call control ends the call. Only RTP
 * counts: RTCP keeps flowing from a phone whose audio is gone. While a call is on hold
 * the far end may legitimately send nothing, so call control turns the watch off
 * (`setTimeout(null)`) and on again.
 */
type WatchState =
  | { readonly kind: 'off' }
  | { readonly kind: 'armed'; readonly timeoutMs: number }
  | { readonly kind: 'fired'; readonly timeoutMs: number };

const MAX_CHECK_PERIOD_MS = 1000;

export class MediaTimeoutWatch {
  private state: WatchState = { kind: 'off' };
  private lastPacketAt: number;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly now: () => number,
    private readonly onTimeout: (silentForMs: number) => void,
  ) {
    this.lastPacketAt = now();
  }

  /** Starts (or changes) the watch; null turns it off. The silence counts from now. */
  setTimeout(timeoutMs: number | null): void {
    this.stop();
    if (timeoutMs === null) return;
    this.lastPacketAt = this.now();
    this.state = { kind: 'armed', timeoutMs };
    // Checked a few times per timeout rather than a timer reset per packet (50 a second).
    const period = Math.min(MAX_CHECK_PERIOD_MS, Math.max(10, Math.floor(timeoutMs / 4)));
    this.timer = setInterval(() => this.check(), period);
  }

  packetArrived(): void {
    this.lastPacketAt = this.now();
    if (this.state.kind === 'fired')
      this.state = { kind: 'armed', timeoutMs: this.state.timeoutMs };
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    this.state = { kind: 'off' };
  }

  private check(): void {
    if (this.state.kind !== 'armed') return;
    const silentFor = this.now() - this.lastPacketAt;
    if (silentFor < this.state.timeoutMs) return;
    this.state = { kind: 'fired', timeoutMs: this.state.timeoutMs };
    this.onTimeout(silentFor);
  }
}
