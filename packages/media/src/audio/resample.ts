/**
 * Sample-rate conversion by a rational factor L/M with a polyphase FIR filter.
 *
 * Conceptually the input is upsampled by L (L−1 zeros between samples), low-pass
 * filtered at the prototype rate fin·L, and every M-th sample kept. The polyphase form
 * computes only the kept outputs and skips the zeros, so each output costs about
 * (filter length / L) multiply-adds.
 *
 * The low-pass is a windowed sinc with a Kaiser window (J. F. Kaiser, "Nonrecursive
 * digital filter design using the I0-sinh window function", 1974; the design formulas are
 * those of Oppenheim & Schafer, "Discrete-Time Signal Processing", on the Kaiser window):
 *  - stopband edge at the lower Nyquist frequency min(fin, fout)/2, so nothing that would
 *    fold back (alias) survives — for 48 kHz → 8 kHz everything above 4 kHz is removed
 *    before decimation, where naive decimation would fold a 6 kHz tone onto 2 kHz;
 *  - passband edge at 85 % of it (3.4 kHz for 8 kHz telephony: the G.711 voice band);
 *  - 70 dB stopband attenuation: β = 0.1102·(A − 8.7), length N = (A − 8) / (2.285·Δω).
 * The filter is symmetric (linear phase) and its delay is compensated, so output sample n
 * lines up with input time n/fout. The same filter interpolates when fout > fin (gain L).
 */

const STOPBAND_ATTENUATION_DB = 70;
const PASSBAND_FRACTION = 0.85;

interface PolyphaseFilter {
  readonly up: number;
  readonly down: number;
  /** Prototype taps at the rate fin·L, centred on `delay`. */
  readonly taps: Float64Array;
  readonly delay: number;
}

const filters = new Map<string, PolyphaseFilter>();

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/** Zeroth-order modified Bessel function of the first kind, by its power series. */
function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  for (let k = 1; k < 50; k++) {
    term *= (x / (2 * k)) ** 2;
    sum += term;
    if (term < sum * 1e-12) break;
  }
  return sum;
}

function designFilter(fromRate: number, toRate: number): PolyphaseFilter {
  const divisor = gcd(fromRate, toRate);
  const up = toRate / divisor;
  const down = fromRate / divisor;
  const prototypeRate = fromRate * up;
  const stopband = Math.min(fromRate, toRate) / 2;
  const passband = stopband * PASSBAND_FRACTION;
  const cutoff = (passband + stopband) / 2 / prototypeRate; // cycles per prototype sample
  const transition = (2 * Math.PI * (stopband - passband)) / prototypeRate; // radians
  const attenuation = STOPBAND_ATTENUATION_DB;
  const beta = 0.1102 * (attenuation - 8.7);
  // An odd length puts the centre on a tap, so the delay is a whole number of samples.
  const length = Math.ceil((attenuation - 8) / (2.285 * transition)) | 1;
  const delay = (length - 1) / 2;
  const taps = new Float64Array(length);
  const windowNorm = besselI0(beta);
  for (let k = 0; k < length; k++) {
    const t = k - delay;
    const sinc = t === 0 ? 2 * cutoff : Math.sin(2 * Math.PI * cutoff * t) / (Math.PI * t);
    const window = besselI0(beta * Math.sqrt(1 - (t / delay) ** 2)) / windowNorm;
    // × up: the zeros inserted by upsampling divide the signal's level by L.
    taps[k] = sinc * window * up;
  }
  return { up, down, taps, delay };
}

function filterFor(fromRate: number, toRate: number): PolyphaseFilter {
  const key = `${fromRate}/${toRate}`;
  let filter = filters.get(key);
  if (!filter) {
    filter = designFilter(fromRate, toRate);
    filters.set(key, filter);
  }
  return filter;
}

/**
 * Resamples a whole mono signal (prompts are converted once, on upload or load). Rates
 * must be positive integers; the filter's size grows with L = fout/gcd, so callers keep
 * to the rates of SUPPORTED_SAMPLE_RATES (44.1 kHz → 8 kHz: L = 80, ~25 k taps, ~320 per
 * output sample).
 */
export function resample(input: Int16Array, fromRate: number, toRate: number): Int16Array {
  if (!Number.isInteger(fromRate) || !Number.isInteger(toRate) || fromRate <= 0 || toRate <= 0) {
    throw new RangeError(`sample rates must be positive integers, got ${fromRate} → ${toRate}`);
  }
  if (fromRate === toRate) return input.slice();
  const { up, down, taps, delay } = filterFor(fromRate, toRate);
  const outputLength = Math.ceil((input.length * up) / down);
  const output = new Int16Array(outputLength);
  for (let n = 0; n < outputLength; n++) {
    // Output n sits at prototype index n·M; with the delay compensated, tap k meets
    // input sample j where j·L = n·M + delay − k.
    const centre = n * down + delay;
    const firstInput = Math.max(0, Math.ceil((centre - (taps.length - 1)) / up));
    const lastInput = Math.min(input.length - 1, Math.floor(centre / up));
    let sum = 0;
    for (let j = firstInput; j <= lastInput; j++) {
      sum += (input[j] ?? 0) * (taps[centre - j * up] ?? 0);
    }
    output[n] = Math.max(-32768, Math.min(32767, Math.round(sum)));
  }
  return output;
}
