import { MediaPacketError, requireLength, requireUint } from './packet-error.ts';

/**
 * RTP data packets, RFC 3550 §5.1 (fixed header) and §5.3.1 (header extension).
 *
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |V=2|P|X|  CC   |M|     PT      |       sequence number         |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                           timestamp                           |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |           synchronization source (SSRC) identifier            |
 *  +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 *  |            contributing source (CSRC) identifiers             |
 *  |                   (CC entries, 4 bytes each)                  |
 *  +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 *  |   defined by profile (X=1)    |   length (32-bit words)       |
 *  |                   header extension data ...                   |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                   payload ...   | padding (P=1), last octet = count |
 *
 * The extension is kept as bytes: its meaning belongs to a profile (RFC 8285 one- and
 * two-byte elements), which no code here needs yet.
 */
export interface RtpHeaderExtension {
  /** The 16-bit "defined by profile" field (0xBEDE for RFC 8285 one-byte elements). */
  readonly profile: number;
  /** The extension data; its length is a multiple of 4 (the length field counts words). */
  readonly data: Uint8Array;
}

export interface RtpPacket {
  readonly marker: boolean;
  readonly payloadType: number;
  readonly sequenceNumber: number;
  readonly timestamp: number;
  readonly ssrc: number;
  readonly csrcs: readonly number[];
  readonly extension: RtpHeaderExtension | null;
  readonly payload: Uint8Array;
  /** Octets of padding after the payload, counting the count octet itself; 0 for none. */
  readonly paddingLength: number;
}

const FIXED_HEADER = 12;
const MAX_SEQUENCE = 0xffff;
const MAX_UINT32 = 0xffff_ffff;

/** Parses one RTP datagram; throws MediaPacketError for anything short or malformed. */
export function parseRtpPacket(bytes: Uint8Array): RtpPacket {
  requireLength(bytes, FIXED_HEADER, 'RTP fixed header');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const first = view.getUint8(0);
  const version = first >> 6;
  if (version !== 2) throw new MediaPacketError('bad_version', `RTP version ${version}`);
  const hasPadding = (first & 0x20) !== 0;
  const hasExtension = (first & 0x10) !== 0;
  const csrcCount = first & 0x0f;
  const second = view.getUint8(1);

  let offset = FIXED_HEADER;
  requireLength(bytes, offset + csrcCount * 4, `RTP header with ${csrcCount} CSRCs`);
  const csrcs: number[] = [];
  for (let index = 0; index < csrcCount; index++) {
    csrcs.push(view.getUint32(offset));
    offset += 4;
  }

  let extension: RtpHeaderExtension | null = null;
  if (hasExtension) {
    requireLength(bytes, offset + 4, 'RTP header extension header');
    const profile = view.getUint16(offset);
    const words = view.getUint16(offset + 2);
    offset += 4;
    requireLength(bytes, offset + words * 4, 'RTP header extension data');
    extension = { profile, data: bytes.subarray(offset, offset + words * 4) };
    offset += words * 4;
  }

  let end = bytes.length;
  let paddingLength = 0;
  if (hasPadding) {
    // §5.1: the last octet counts the padding octets, itself included, so it is never 0.
    paddingLength = bytes[bytes.length - 1] ?? 0;
    if (paddingLength === 0 || offset + paddingLength > bytes.length) {
      throw new MediaPacketError(
        'bad_padding',
        `padding count ${paddingLength} with ${bytes.length - offset} bytes after the header`,
      );
    }
    end -= paddingLength;
  }

  return {
    marker: (second & 0x80) !== 0,
    payloadType: second & 0x7f,
    sequenceNumber: view.getUint16(2),
    timestamp: view.getUint32(4),
    ssrc: view.getUint32(8),
    csrcs,
    extension,
    payload: bytes.subarray(offset, end),
    paddingLength,
  };
}

/** Writes the packet exactly as `parseRtpPacket` reads it (padding octets are zero). */
export function serializeRtpPacket(packet: RtpPacket): Buffer {
  requireUint(packet.payloadType, 0x7f, 'payload type');
  requireUint(packet.sequenceNumber, MAX_SEQUENCE, 'sequence number');
  requireUint(packet.timestamp, MAX_UINT32, 'timestamp');
  requireUint(packet.ssrc, MAX_UINT32, 'SSRC');
  requireUint(packet.paddingLength, 0xff, 'padding length');
  if (packet.csrcs.length > 15) {
    throw new MediaPacketError('bad_field', `${packet.csrcs.length} CSRCs (at most 15)`);
  }
  const extension = packet.extension;
  if (extension !== null) {
    requireUint(extension.profile, 0xffff, 'extension profile');
    if (extension.data.length % 4 !== 0 || extension.data.length / 4 > 0xffff) {
      throw new MediaPacketError('bad_field', 'extension data is not a whole number of words');
    }
  }
  const extensionLength = extension === null ? 0 : 4 + extension.data.length;
  const headerLength = FIXED_HEADER + packet.csrcs.length * 4 + extensionLength;
  const out = Buffer.alloc(headerLength + packet.payload.length + packet.paddingLength);
  out[0] =
    (2 << 6) |
    (packet.paddingLength > 0 ? 0x20 : 0) |
    (extension === null ? 0 : 0x10) |
    packet.csrcs.length;
  out[1] = (packet.marker ? 0x80 : 0) | packet.payloadType;
  out.writeUInt16BE(packet.sequenceNumber, 2);
  out.writeUInt32BE(packet.timestamp, 4);
  out.writeUInt32BE(packet.ssrc, 8);
  let offset = FIXED_HEADER;
  for (const csrc of packet.csrcs) {
    requireUint(csrc, MAX_UINT32, 'CSRC');
    out.writeUInt32BE(csrc, offset);
    offset += 4;
  }
  if (extension !== null) {
    out.writeUInt16BE(extension.profile, offset);
    out.writeUInt16BE(extension.data.length / 4, offset + 2);
    out.set(extension.data, offset + 4);
    offset += extensionLength;
  }
  out.set(packet.payload, offset);
  if (packet.paddingLength > 0) out[out.length - 1] = packet.paddingLength;
  return out;
}
