import { ProvodError, type SoundContentType } from '@provod/contracts';

/** What an uploaded sound turned out to be. */
export interface AudioProbe {
  format: 'wav' | 'mp3';
  contentType: SoundContentType;
  /** Null when the format does not tell it cheaply (MP3: the media converter measures it). */
  durationMs: number | null;
}

export interface WavProbe extends AudioProbe {
  format: 'wav';
  encoding: WavEncoding;
  sampleRate: number;
  channels: number;
  durationMs: number;
}

export type WavEncoding = 'pcm_s16le' | 'alaw' | 'mulaw';

/** WAVE format tags (RFC 2361 appendix A) that telephony plays without resampling tricks. */
const wavEncodings: Partial<Record<number, { encoding: WavEncoding; bitsPerSample: number }>> = {
  0x0001: { encoding: 'pcm_s16le', bitsPerSample: 16 },
  0x0006: { encoding: 'alaw', bitsPerSample: 8 },
  0x0007: { encoding: 'mulaw', bitsPerSample: 8 },
};
const waveFormatExtensible = 0xfffe;
const minSampleRate = 8000;
const maxSampleRate = 48000;

function invalid(message: string): never {
  throw new ProvodError('validation_failed', message, [{ path: 'body', message }]);
}

/**
 * RIFF WAVE (Microsoft/IBM "Multimedia Programming Interface and Data Specifications 1.0"):
 *
 *   0   "RIFF"  4 size (LE)  8 "WAVE"
 *   12  chunks: id (4 ASCII) | size (u32 LE) | body, padded to an even length
 *   fmt  body: format tag u16 | channels u16 | sample rate u32 | byte rate u32 |
 *              block align u16 | bits per sample u16 [| cbSize u16 | extension]
 *   data body: the samples
 *
 * Only the sizes we can check are trusted: the duration comes from the data length and
 * the format we recomputed, never from the header's byte rate.
 */
export function probeWav(bytes: Buffer): WavProbe {
  if (bytes.length < 12 || bytes.toString('latin1', 0, 4) !== 'RIFF') {
    invalid('not a WAV file: missing RIFF header');
  }
  if (bytes.toString('latin1', 8, 12) !== 'WAVE') invalid('not a WAV file: RIFF form is not WAVE');

  let format: Omit<WavProbe, 'format' | 'contentType' | 'durationMs'> | undefined;
  let blockAlign = 0;
  let offset = 12;
  while (offset < bytes.length) {
    if (offset + 8 > bytes.length) invalid('WAV chunk header is truncated');
    const id = bytes.toString('latin1', offset, offset + 4);
    const size = bytes.readUInt32LE(offset + 4);
    const body = offset + 8;
    if (id === 'fmt ') {
      if (body + size > bytes.length) invalid('WAV fmt chunk is truncated');
      format = readFormat(bytes.subarray(body, body + size));
      blockAlign = format.channels * (format.encoding === 'pcm_s16le' ? 2 : 1);
    } else if (id === 'data') {
      if (!format) invalid('WAV data chunk comes before the fmt chunk');
      if (body + size > bytes.length) invalid('WAV data chunk is truncated');
      if (size < blockAlign) invalid('WAV data chunk is empty');
      const frames = Math.floor(size / blockAlign);
      const durationMs = Math.round((frames * 1000) / format.sampleRate);
      return { format: 'wav', contentType: 'audio/wav', durationMs, ...format };
    }
    offset = body + size + (size % 2);
  }
  return format ? invalid('WAV file has no data chunk') : invalid('WAV file has no fmt chunk');
}

function readFormat(fmt: Buffer): Omit<WavProbe, 'format' | 'contentType' | 'durationMs'> {
  if (fmt.length < 16) invalid('WAV fmt chunk is shorter than 16 bytes');
  let tag = fmt.readUInt16LE(0);
  const channels = fmt.readUInt16LE(2);
  const sampleRate = fmt.readUInt32LE(4);
  const blockAlign = fmt.readUInt16LE(12);
  const bitsPerSample = fmt.readUInt16LE(14);
  if (tag === waveFormatExtensible) {
    // WAVEFORMATEXTENSIBLE: the real tag is the first two bytes of the SubFormat GUID at 24.
    if (fmt.length < 40) invalid('WAV fmt chunk is truncated (WAVE_FORMAT_EXTENSIBLE)');
    tag = fmt.readUInt16LE(24);
  }
  const known = wavEncodings[tag];
  if (!known) {
    invalid(`WAV encoding ${tag} is not supported: use 16-bit PCM, A-law (6) or µ-law (7)`);
  }
  if (bitsPerSample !== known.bitsPerSample) {
    invalid(
      `WAV ${known.encoding} must have ${known.bitsPerSample} bits per sample, not ${bitsPerSample}`,
    );
  }
  if (channels !== 1 && channels !== 2)
    invalid(`WAV must be mono or stereo, not ${channels} channels`);
  if (sampleRate < minSampleRate || sampleRate > maxSampleRate) {
    invalid(`WAV sample rate ${sampleRate} Hz is outside ${minSampleRate}–${maxSampleRate} Hz`);
  }
  if (blockAlign !== (channels * bitsPerSample) / 8) {
    invalid(`WAV block align ${blockAlign} does not match ${channels} × ${bitsPerSample} bits`);
  }
  return { encoding: known.encoding, sampleRate, channels };
}

/**
 * MP3 is accepted when it starts with an ID3v2 tag (id3.org "ID3 tag version 2.4.0 —
 * Main structure" §3.1: "ID3", version, flags, a 28-bit sync-safe size, an optional
 * 10-byte footer) followed by an MPEG audio frame, or with the frame itself
 * (ISO/IEC 11172-3 §2.4.1.3: 11 sync bits, then version, layer, bitrate and sample-rate
 * fields whose all-ones or reserved values mark a false sync).
 */
export function probeMp3(bytes: Buffer): AudioProbe {
  let offset = 0;
  if (bytes.length >= 3 && bytes.toString('latin1', 0, 3) === 'ID3') {
    if (bytes.length < 10) invalid('MP3 ID3 tag is truncated');
    const sizeBytes = [6, 7, 8, 9].map((i) => bytes.readUInt8(i));
    if (sizeBytes.some((b) => b > 0x7f)) invalid('MP3 ID3 tag size is not sync-safe');
    const size = sizeBytes.reduce((total, b) => (total << 7) | b, 0);
    const hasFooter = (bytes.readUInt8(5) & 0x10) !== 0;
    offset = 10 + size + (hasFooter ? 10 : 0);
    if (offset > bytes.length) invalid('MP3 ID3 tag is truncated');
    // Padding after the tag is zeros (ID3v2.4 §3.3); the first frame follows it.
    while (offset < bytes.length && bytes.readUInt8(offset) === 0) offset++;
    if (offset >= bytes.length) invalid('MP3 file has no audio frame after its ID3 tag');
  }
  if (!isMpegFrameHeader(bytes, offset)) {
    invalid(
      offset === 0
        ? 'not an MP3 file: no ID3 tag or MPEG audio frame sync at the start'
        : 'MP3 file has no MPEG audio frame sync after its ID3 tag',
    );
  }
  return { format: 'mp3', contentType: 'audio/mpeg', durationMs: null };
}

function isMpegFrameHeader(bytes: Buffer, offset: number): boolean {
  if (offset + 4 > bytes.length) return false;
  const b1 = bytes.readUInt8(offset + 1);
  const b2 = bytes.readUInt8(offset + 2);
  const version = (b1 >> 3) & 0b11;
  const layer = (b1 >> 1) & 0b11;
  const bitrateIndex = b2 >> 4;
  const sampleRateIndex = (b2 >> 2) & 0b11;
  return (
    bytes.readUInt8(offset) === 0xff &&
    (b1 & 0xe0) === 0xe0 &&
    version !== 0b01 &&
    layer !== 0b00 &&
    bitrateIndex !== 0b1111 &&
    sampleRateIndex !== 0b11
  );
}

/**
 * The canonical content type of an upload's Content-Type header (parameters dropped,
 * RFC 9110 §8.3.1: type and subtype are case-insensitive); undefined when not a sound.
 */
export function soundContentTypeOf(header: string | undefined): SoundContentType | undefined {
  const mediaType = header?.split(';')[0]?.trim().toLowerCase();
  if (mediaType === 'audio/mpeg') return 'audio/mpeg';
  if (mediaType === 'audio/wav' || mediaType === 'audio/x-wav' || mediaType === 'audio/wave') {
    return 'audio/wav';
  }
  return undefined;
}

/** Checks that the bytes are what the upload's content type promises. */
export function probeAudio(contentType: SoundContentType, bytes: Buffer): AudioProbe {
  return contentType === 'audio/mpeg' ? probeMp3(bytes) : probeWav(bytes);
}
