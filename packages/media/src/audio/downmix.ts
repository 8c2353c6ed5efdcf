/**
 * Interleaved multi-channel PCM → mono, by the mean of the channels. The mean (not the
 * sum) cannot clip, and a sound present in one channel only comes out 6 dB quieter for
 * stereo — the usual trade-off for prompts, which are mostly mono anyway.
 */
export function downmixToMono(samples: Int16Array, channels: number): Int16Array {
  if (!Number.isInteger(channels) || channels < 1) {
    throw new RangeError(`channel count must be a positive integer, got ${channels}`);
  }
  if (samples.length % channels !== 0) {
    throw new RangeError(`${samples.length} samples do not split into ${channels} channels`);
  }
  if (channels === 1) return samples.slice();
  const mono = new Int16Array(samples.length / channels);
  for (let frame = 0; frame < mono.length; frame++) {
    let sum = 0;
    for (let c = 0; c < channels; c++) sum += samples[frame * channels + c] ?? 0;
    mono[frame] = Math.round(sum / channels);
  }
  return mono;
}
