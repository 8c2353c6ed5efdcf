import type { Clock } from '@provod/crm';

/**
 * Time running `speed` times faster than the wall clock, shared by the connector's pacers
 * and the sandboxes' limiters, so a benchmark at the CRMs' real limits (7 and 2 requests
 * per simulated second) takes minutes instead of hours. Figures are in simulated time.
 */
export class ScaledClock implements Clock {
  private readonly realStart = performance.now();

  constructor(
    readonly speed: number,
    private readonly simulatedStart = Date.UTC(2026, 10, 24, 9, 0, 0),
  ) {}

  nowMs(): number {
    return this.simulatedStart + (performance.now() - this.realStart) * this.speed;
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms) / this.speed));
  }

  async sleepUntil(simulatedMs: number): Promise<void> {
    const wait = simulatedMs - this.nowMs();
    if (wait > 0) await this.sleep(wait);
  }
}
