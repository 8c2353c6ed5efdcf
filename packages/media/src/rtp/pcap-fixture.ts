import { readFileSync } from 'node:fs';

/**
 * Test fixture loader: the UDP datagrams of a classic libpcap capture
 * (https://www.tcpdump.org/manpages/pcap-savefile.5.html), so RTP tests run on bytes
 * that crossed a real wire. Handles what the captures we use hold — Ethernet
 * (LINKTYPE_ETHERNET = 1) carrying IPv4/UDP — and throws on anything else rather than
 * guessing.
 *
 *   global header (24): magic | major | minor | thiszone | sigfigs | snaplen | linktype
 *   record header (16): ts_sec | ts_usec | incl_len | orig_len, then incl_len bytes
 */
export interface CapturedDatagram {
  /** Capture time in milliseconds since the epoch. */
  readonly timeMs: number;
  readonly sourcePort: number;
  readonly destinationPort: number;
  readonly payload: Buffer;
}

/** sipp's G.711 A-law RTP capture (Debian package sip-tester, played by uac_pcma). */
export const SIPP_G711A_PCAP = '/usr/share/sip-tester/g711a.pcap';

const LINKTYPE_ETHERNET = 1;
const ETHERTYPE_IPV4 = 0x0800;
const IP_PROTOCOL_UDP = 17;

export function readPcapDatagrams(path: string): CapturedDatagram[] {
  const file = readFileSync(path);
  const magic = file.readUInt32LE(0);
  const littleEndian = magic === 0xa1b2c3d4;
  if (!littleEndian && magic !== 0xd4c3b2a1) throw new Error(`${path}: not a libpcap file`);
  const u32 = (offset: number): number =>
    littleEndian ? file.readUInt32LE(offset) : file.readUInt32BE(offset);
  if (u32(20) !== LINKTYPE_ETHERNET) throw new Error(`${path}: link type is not Ethernet`);

  const datagrams: CapturedDatagram[] = [];
  for (let offset = 24; offset + 16 <= file.length;) {
    const seconds = u32(offset);
    const micros = u32(offset + 4);
    const included = u32(offset + 8);
    const frame = file.subarray(offset + 16, offset + 16 + included);
    offset += 16 + included;
    if (frame.readUInt16BE(12) !== ETHERTYPE_IPV4) continue;
    const ip = frame.subarray(14);
    if (ip[9] !== IP_PROTOCOL_UDP) continue;
    // The IPv4 header length is the low nibble of the first octet, in 32-bit words.
    const udp = ip.subarray(((ip[0] ?? 0) & 0x0f) * 4);
    const udpLength = udp.readUInt16BE(4);
    datagrams.push({
      timeMs: seconds * 1000 + micros / 1000,
      sourcePort: udp.readUInt16BE(0),
      destinationPort: udp.readUInt16BE(2),
      // Copied, so a test that mutates a packet never changes another's view of the file.
      payload: Buffer.from(udp.subarray(8, udpLength)),
    });
  }
  return datagrams;
}
