import { type AudioCodec } from './codec.ts';
import { CodecError } from './codec-error.ts';
import { PCMA_CODEC, PCMU_CODEC } from './g711-codecs.ts';

/** What an SDP rtpmap (or a static payload type) names: RFC 8866 §6.6. */
export interface CodecKey {
  readonly encodingName: string;
  readonly clockRate: number;
  /** 1 when the rtpmap has no encoding parameters. */
  readonly channels?: number;
}

// RFC 4855 §3: media subtype (encoding) names are case-insensitive.
function keyOf(encodingName: string, clockRate: number, channels: number): string {
  return `${encodingName.toLowerCase()}/${clockRate}/${channels}`;
}

/**
 * The codecs this process can encode and decode, found by what SDP says about a format:
 * its rtpmap (encoding name, clock rate, channels) or, for a format without rtpmap, its
 * static payload type (RFC 3551 §6). Dynamic payload types (96–127) mean nothing on their
 * own — they are per session — so they are resolved through the rtpmap, never here.
 */
export class CodecRegistry {
  private readonly byKey = new Map<string, AudioCodec>();
  private readonly byStaticType = new Map<number, AudioCodec>();

  constructor(codecs: Iterable<AudioCodec> = []) {
    for (const codec of codecs) this.register(codec);
  }

  register(codec: AudioCodec): void {
    const key = keyOf(codec.encodingName, codec.clockRate, codec.channels);
    if (this.byKey.has(key)) {
      throw new CodecError('duplicate_codec', `codec ${key} is already registered`);
    }
    const pt = codec.staticPayloadType;
    if (pt !== undefined && this.byStaticType.has(pt)) {
      throw new CodecError('duplicate_codec', `static payload type ${pt} is already registered`);
    }
    this.byKey.set(key, codec);
    if (pt !== undefined) this.byStaticType.set(pt, codec);
  }

  /** The codec an rtpmap names, matching the name case-insensitively. */
  find(key: CodecKey): AudioCodec | undefined {
    return this.byKey.get(keyOf(key.encodingName, key.clockRate, key.channels ?? 1));
  }

  /** The codec of a static payload type (RFC 3551 §6 Table 4): 0 → PCMU, 8 → PCMA. */
  findByStaticPayloadType(payloadType: number): AudioCodec | undefined {
    return this.byStaticType.get(payloadType);
  }

  list(): readonly AudioCodec[] {
    return [...this.byKey.values()];
  }
}

/** The codecs implemented so far: G.711 µ-law and A-law. */
export function createDefaultCodecRegistry(): CodecRegistry {
  return new CodecRegistry([PCMU_CODEC, PCMA_CODEC]);
}
