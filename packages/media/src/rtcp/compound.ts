import { MediaPacketError, requireLength } from '../rtp/packet-error.ts';
import { parseBye, serializeBye } from './bye.ts';
import {
  parseReceiverReport,
  parseSenderReport,
  serializeReceiverReport,
  serializeSenderReport,
} from './report.ts';
import {
  RTCP_BYE,
  RTCP_RR,
  RTCP_SDES,
  RTCP_SR,
  type RtcpPacket,
  withRtcpHeader,
} from './rtcp-packet.ts';
import { parseSourceDescription, serializeSourceDescription } from './sdes.ts';

/**
 * Compound RTCP packets, RFC 3550 §6.1: several RTCP packets in one datagram, each with
 * the common header, lengths adding up exactly to the datagram:
 *
 *  [ SR or RR ][ more RR ][ SDES with CNAME ][ BYE / APP / ... ]
 *   ^ first, always           ^ required by §6.1     ^ padding only in the last one
 *
 * Parsing applies the validity checks of Appendix A.2: version 2 everywhere, an SR or RR
 * first, padding only on the last packet, and lengths that end exactly at the end.
 * (Reduced-size RTCP, RFC 5506, which WebRTC may negotiate, is not accepted yet.)
 */
export function parseRtcpCompound(bytes: Uint8Array): RtcpPacket[] {
  requireLength(bytes, 4, 'RTCP header');
  const packets: RtcpPacket[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    requireLength(bytes, offset + 4, 'RTCP header');
    const first = bytes[offset] ?? 0;
    const packetType = bytes[offset + 1] ?? 0;
    const length = (((bytes[offset + 2] ?? 0) << 8) | (bytes[offset + 3] ?? 0)) * 4 + 4;
    if (first >> 6 !== 2) {
      throw new MediaPacketError('bad_version', `RTCP version ${first >> 6}`);
    }
    if (offset + length > bytes.length) {
      throw new MediaPacketError(
        'bad_length',
        `RTCP packet type ${packetType} announces ${length} bytes, ${bytes.length - offset} left`,
      );
    }
    if (packets.length === 0 && packetType !== RTCP_SR && packetType !== RTCP_RR) {
      throw new MediaPacketError('bad_compound', `compound starts with packet type ${packetType}`);
    }
    let body = bytes.subarray(offset + 4, offset + length);
    if ((first & 0x20) !== 0) {
      if (offset + length !== bytes.length) {
        throw new MediaPacketError('bad_compound', 'padding on a packet that is not the last');
      }
      const padding = body[body.length - 1] ?? 0;
      if (padding === 0 || padding > body.length) {
        throw new MediaPacketError('bad_padding', `RTCP padding count ${padding}`);
      }
      body = body.subarray(0, body.length - padding);
    }
    packets.push(parseOne(packetType, first & 0x1f, body));
    offset += length;
  }
  return packets;
}

function parseOne(packetType: number, count: number, body: Uint8Array): RtcpPacket {
  switch (packetType) {
    case RTCP_SR:
      return parseSenderReport(count, body);
    case RTCP_RR:
      return parseReceiverReport(count, body);
    case RTCP_SDES:
      return parseSourceDescription(count, body);
    case RTCP_BYE:
      return parseBye(count, body);
    default:
      return { kind: 'other', packetType, count, body };
  }
}

export function serializeRtcpPacket(packet: RtcpPacket): Buffer {
  switch (packet.kind) {
    case 'sr':
      return serializeSenderReport(packet);
    case 'rr':
      return serializeReceiverReport(packet);
    case 'sdes':
      return serializeSourceDescription(packet);
    case 'bye':
      return serializeBye(packet);
    case 'other':
      return withRtcpHeader(packet.packetType, packet.count, packet.body);
  }
}

/** Writes a compound packet; the first must be an SR or RR (§6.1). */
export function serializeRtcpCompound(packets: readonly RtcpPacket[]): Buffer {
  const [first] = packets;
  if (first === undefined || (first.kind !== 'sr' && first.kind !== 'rr')) {
    throw new MediaPacketError('bad_compound', 'a compound RTCP packet starts with an SR or RR');
  }
  return Buffer.concat(packets.map(serializeRtcpPacket));
}
