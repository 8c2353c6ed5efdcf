import { serializeAttribute } from './attributes.ts';
import type { SdpBandwidth, SdpConnection, MediaDescription, SessionDescription } from './types.ts';

/**
 * Writes the lines in the order RFC 8866 §5 requires (v o s i u e p c b t r z k a, then
 * each m= with i c b k a), each ended by CRLF (§5: "<type>=<value>" lines end in CRLF).
 */
export function serializeSdp(sdp: SessionDescription): string {
  const lines: string[] = [];
  const o = sdp.origin;
  lines.push(`v=${sdp.version}`);
  lines.push(
    `o=${o.username} ${o.sessionId} ${o.sessionVersion} ${o.netType} ${o.addrType} ${o.unicastAddress}`,
  );
  lines.push(`s=${sdp.sessionName}`);
  if (sdp.information !== undefined) lines.push(`i=${sdp.information}`);
  if (sdp.uri !== undefined) lines.push(`u=${sdp.uri}`);
  for (const email of sdp.emails) lines.push(`e=${email}`);
  for (const phone of sdp.phones) lines.push(`p=${phone}`);
  if (sdp.connection) lines.push(`c=${connectionText(sdp.connection)}`);
  for (const b of sdp.bandwidths) lines.push(`b=${bandwidthText(b)}`);
  for (const t of sdp.timing) {
    lines.push(`t=${t.start} ${t.stop}`);
    for (const r of t.repeats) lines.push(`r=${r}`);
  }
  if (sdp.timeZones !== undefined) lines.push(`z=${sdp.timeZones}`);
  if (sdp.encryptionKey !== undefined) lines.push(`k=${sdp.encryptionKey}`);
  for (const a of sdp.attributes) lines.push(`a=${serializeAttribute(a)}`);
  for (const m of sdp.media) lines.push(...mediaLines(m));
  return lines.map((line) => `${line}\r\n`).join('');
}

function mediaLines(m: MediaDescription): string[] {
  const port = m.portCount === undefined ? `${m.port}` : `${m.port}/${m.portCount}`;
  const lines = [`m=${m.type} ${port} ${m.protocol} ${m.formats.join(' ')}`];
  if (m.title !== undefined) lines.push(`i=${m.title}`);
  if (m.connection) lines.push(`c=${connectionText(m.connection)}`);
  for (const b of m.bandwidths) lines.push(`b=${bandwidthText(b)}`);
  if (m.encryptionKey !== undefined) lines.push(`k=${m.encryptionKey}`);
  for (const a of m.attributes) lines.push(`a=${serializeAttribute(a)}`);
  return lines;
}

function connectionText(c: SdpConnection): string {
  const ttl = c.ttl === undefined ? '' : `/${c.ttl}`;
  const count = c.addressCount === undefined ? '' : `/${c.addressCount}`;
  return `${c.netType} ${c.addrType} ${c.address}${ttl}${count}`;
}

function bandwidthText(b: SdpBandwidth): string {
  return `${b.type}:${b.value}`;
}
