/**
 * A listening-quality estimate from what RTCP measures, after the ITU-T G.107 E-model
 * (06/2015), simplified for G.711 the way network monitors commonly do:
 *
 *   R   = 93.2 − Id − Ie,eff              (§7: Ro − Is = 93.2 with default values, A = 0)
 *   Id  = Idd only (echo terms at their defaults), for one-way delay Ta > 100 ms:
 *         X = log2(Ta / 100), Idd = 25 × ((1 + X⁶)^(1/6) − 3 (1 + (X/3)⁶)^(1/6) + 2)  (7-28)
 *   Ie,eff = Ie + (95 − Ie) × Ppl / (Ppl / BurstR + Bpl)                               (7-29)
 *         G.711: Ie = 0, Bpl = 25.1 with packet-loss concealment (G.113 Appendix I),
 *         BurstR = 1 (random loss: RTCP does not tell us about bursts)
 *   MOS = 1 + 0.035 R + R (R − 60)(100 − R) × 7·10⁻⁶ for 0 < R < 100           (Annex B)
 *
 * One-way delay is estimated as RTT / 2 + two jitter values (what an adaptive jitter
 * buffer holds) + one packet time. It is an estimate for dashboards and alerts, not a
 * measurement of what anyone heard.
 */
export interface MosInput {
  /** Packets lost over packets expected, 0..1. */
  readonly lossFraction: number;
  readonly jitterMs: number;
  /** Null when no round trip was measured yet; counted as 0. */
  readonly rttMs: number | null;
  readonly packetTimeMs?: number;
}

const R_DEFAULT = 93.2;
const G711_BPL = 25.1;

export function delayImpairment(oneWayDelayMs: number): number {
  if (oneWayDelayMs <= 100) return 0;
  const x = Math.log2(oneWayDelayMs / 100);
  return 25 * ((1 + x ** 6) ** (1 / 6) - 3 * (1 + (x / 3) ** 6) ** (1 / 6) + 2);
}

export function lossImpairment(lossPercent: number, ie = 0, bpl = G711_BPL, burstR = 1): number {
  const ppl = Math.max(0, lossPercent);
  return ie + ((95 - ie) * ppl) / (ppl / burstR + bpl);
}

/** G.107 Annex B: R to the estimated listening-quality MOS. */
export function mosFromR(r: number): number {
  if (r <= 0) return 1;
  if (r >= 100) return 4.5;
  return 1 + 0.035 * r + r * (r - 60) * (100 - r) * 7e-6;
}

export function rFactor(input: MosInput): number {
  const oneWay = (input.rttMs ?? 0) / 2 + 2 * input.jitterMs + (input.packetTimeMs ?? 20);
  return R_DEFAULT - delayImpairment(oneWay) - lossImpairment(input.lossFraction * 100);
}

export function estimateMos(input: MosInput): number {
  return mosFromR(rFactor(input));
}
