/** Real audio bytes built in code, so sound tests need no binary files or tools. */

export interface WavSpec {
  tag?: number;
  channels?: number;
  sampleRate?: number;
  bitsPerSample?: number;
  frames?: number;
  /** Chunks written between fmt and data, e.g. a LIST/INFO chunk. */
  extraChunks?: Buffer[];
}

export function chunk(id: string, body: Buffer): Buffer {
  const header = Buffer.alloc(8);
  header.write(id, 0, 'latin1');
  header.writeUInt32LE(body.length, 4);
  return Buffer.concat([header, body, Buffer.alloc(body.length % 2)]);
}

/** A real WAV file: RIFF header, 16-byte fmt chunk, a 440 Hz tone as samples. */
export function wav(spec: WavSpec = {}): Buffer {
  const tag = spec.tag ?? 1;
  const channels = spec.channels ?? 1;
  const sampleRate = spec.sampleRate ?? 8000;
  const bits = spec.bitsPerSample ?? (tag === 1 ? 16 : 8);
  const frames = spec.frames ?? sampleRate;
  const blockAlign = (channels * bits) / 8;
  const fmt = Buffer.alloc(16);
  fmt.writeUInt16LE(tag, 0);
  fmt.writeUInt16LE(channels, 2);
  fmt.writeUInt32LE(sampleRate, 4);
  fmt.writeUInt32LE(sampleRate * blockAlign, 8);
  fmt.writeUInt16LE(blockAlign, 12);
  fmt.writeUInt16LE(bits, 14);
  const samples = Buffer.alloc(frames * blockAlign);
  for (let frame = 0; frame < frames; frame++) {
    const value = Math.round(8000 * Math.sin((2 * Math.PI * 440 * frame) / sampleRate));
    for (let c = 0; c < channels; c++) {
      if (bits === 16) samples.writeInt16LE(value, frame * blockAlign + c * 2);
      else samples.writeUInt8(value & 0xff, frame * blockAlign + c);
    }
  }
  const body = Buffer.concat([
    Buffer.from('WAVE', 'latin1'),
    chunk('fmt ', fmt),
    ...(spec.extraChunks ?? []),
    chunk('data', samples),
  ]);
  return chunk('RIFF', body);
}

/** MPEG-1 Layer III, 128 kbit/s, 44.1 kHz, no CRC: FF FB 90 64, then a 417-byte frame. */
export function mp3Frame(): Buffer {
  const frame = Buffer.alloc(417);
  Buffer.from([0xff, 0xfb, 0x90, 0x64]).copy(frame);
  return frame;
}

/** An ID3v2.4 tag with one TIT2 (title) frame and `padding` zero bytes. */
export function id3Tag(padding = 0): Buffer {
  const title = Buffer.concat([Buffer.from([3]), Buffer.from('Welcome', 'utf8')]);
  const frameHeader = Buffer.alloc(10);
  frameHeader.write('TIT2', 0, 'latin1');
  frameHeader.writeUInt32BE(title.length, 4);
  const frames = Buffer.concat([frameHeader, title, Buffer.alloc(padding)]);
  const header = Buffer.from([0x49, 0x44, 0x33, 4, 0, 0, 0, 0, 0, 0]);
  const size = frames.length;
  [21, 14, 7, 0].forEach((shift, i) => header.writeUInt8((size >> shift) & 0x7f, 6 + i));
  return Buffer.concat([header, frames]);
}
