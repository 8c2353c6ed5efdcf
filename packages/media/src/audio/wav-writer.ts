import { encodeAlaw, encodeMulaw } from '../codec/g711.ts';
import { BITS_PER_SAMPLE, FORMAT_TAG, type WavAudio } from './wav-format.ts';

/**
 * Writes a WAV file: 16-byte fmt chunk for PCM; for µ-law and A-law an 18-byte fmt chunk
 * (extra size 0) and the fact chunk (sample frames per channel) that the RIFF
 * specification asks of every non-PCM format. Samples are taken as linear PCM and encoded.
 */
export function encodeWav(audio: WavAudio): Buffer {
  const { encoding, channels, sampleRate, samples } = audio;
  const bytesPerSample = BITS_PER_SAMPLE[encoding] / 8;
  const data =
    encoding === 'mulaw'
      ? encodeMulaw(samples)
      : encoding === 'alaw'
        ? encodeAlaw(samples)
        : pcm16Bytes(samples);
  const pcm = encoding === 'pcm16';
  const fmtSize = pcm ? 16 : 18;
  const factSize = pcm ? 0 : 12;
  const header = Buffer.alloc(12 + 8 + fmtSize + factSize + 8);
  let at = 0;
  const write = (text: string): void => {
    at += header.write(text, at, 'latin1');
  };
  write('RIFF');
  at = header.writeUInt32LE(header.length - 8 + data.length + (data.length & 1), at);
  write('WAVE');
  write('fmt ');
  at = header.writeUInt32LE(fmtSize, at);
  const tag = pcm ? FORMAT_TAG.pcm : encoding === 'alaw' ? FORMAT_TAG.alaw : FORMAT_TAG.mulaw;
  at = header.writeUInt16LE(tag, at);
  at = header.writeUInt16LE(channels, at);
  at = header.writeUInt32LE(sampleRate, at);
  at = header.writeUInt32LE(sampleRate * channels * bytesPerSample, at);
  at = header.writeUInt16LE(channels * bytesPerSample, at);
  at = header.writeUInt16LE(BITS_PER_SAMPLE[encoding], at);
  if (!pcm) {
    at = header.writeUInt16LE(0, at);
    write('fact');
    at = header.writeUInt32LE(4, at);
    at = header.writeUInt32LE(samples.length / channels, at);
  }
  write('data');
  header.writeUInt32LE(data.length, at);
  // An odd-sized data chunk (8-bit mono, odd count) gets its pad byte.
  return Buffer.concat([header, data, Buffer.alloc(data.length & 1)]);
}

function pcm16Bytes(samples: Int16Array): Buffer {
  const bytes = Buffer.alloc(samples.length * 2);
  for (let i = 0; i < samples.length; i++) bytes.writeInt16LE(samples[i] ?? 0, i * 2);
  return bytes;
}
