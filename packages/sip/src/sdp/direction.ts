import type {
  SdpConnection,
  MediaDirection,
  MediaDescription,
  SdpAttribute,
  SessionDescription,
} from './types.ts';

/** A direction as the two things it allows. */
interface Flow {
  send: boolean;
  recv: boolean;
}

function toFlow(direction: MediaDirection): Flow {
  return {
    send: direction === 'sendrecv' || direction === 'sendonly',
    recv: direction === 'sendrecv' || direction === 'recvonly',
  };
}

function fromFlow({ send, recv }: Flow): MediaDirection {
  if (send && recv) return 'sendrecv';
  if (send) return 'sendonly';
  if (recv) return 'recvonly';
  return 'inactive';
}

/** The direction as written: media-level attribute, else session-level, else sendrecv (RFC 3264 §5.1). */
export function declaredDirection(
  session: SessionDescription,
  media: MediaDescription,
): MediaDirection {
  for (const a of media.attributes) if (a.kind === 'direction') return a.direction;
  for (const a of session.attributes) if (a.kind === 'direction') return a.direction;
  return 'sendrecv';
}

/** The c= line that applies to a media description: its own, else the session's (RFC 8866 §5.7). */
export function mediaConnection(
  session: SessionDescription,
  media: MediaDescription,
): SdpConnection | undefined {
  return media.connection ?? session.connection;
}

/**
 * RFC 3264 §8.4: the RFC 2543 hold, c=0.0.0.0, "means that neither RTP nor RTCP should be
 * sent to the peer". `::` is the same idea some IPv6 agents use.
 */
export function isHoldAddress(connection: SdpConnection | undefined): boolean {
  return (
    connection !== undefined && (connection.address === '0.0.0.0' || connection.address === '::')
  );
}

/**
 * The direction the sender of this SDP means, the old hold form folded in: with c=0.0.0.0
 * it does not want to receive, whatever its direction attribute says.
 */
export function effectiveDirection(
  session: SessionDescription,
  media: MediaDescription,
): MediaDirection {
  const declared = declaredDirection(session, media);
  if (!isHoldAddress(mediaConnection(session, media)) || usesIce(session, media)) return declared;
  return fromFlow({ send: toFlow(declared).send, recv: false });
}

/** The same stream seen from the other end: sendonly ↔ recvonly. */
export function reverseDirection(direction: MediaDirection): MediaDirection {
  const { send, recv } = toFlow(direction);
  return fromFlow({ send: recv, recv: send });
}

/**
 * RFC 3264 §6.1: offer sendonly → answer recvonly or inactive; recvonly → sendonly or
 * inactive; sendrecv → any; inactive → inactive. We answer the most our wish allows.
 */
export function answerDirection(offered: MediaDirection, wish: MediaDirection): MediaDirection {
  const mirror = toFlow(reverseDirection(offered));
  const want = toFlow(wish);
  return fromFlow({ send: mirror.send && want.send, recv: mirror.recv && want.recv });
}

/** RFC 3264 §8.4: hold a sendrecv stream with sendonly, a recvonly one with inactive. */
export function holdDirection(current: MediaDirection): MediaDirection {
  return fromFlow({ send: toFlow(current).send, recv: false });
}

/** Taking a stream off hold: receive again, keep sending as before. */
export function resumeDirection(current: MediaDirection): MediaDirection {
  return fromFlow({ send: toFlow(current).send, recv: true });
}

/**
 * With ICE the c= line is only a default candidate, and JSEP (RFC 8829 §5.2.1) writes
 * "c=IN IP4 0.0.0.0" in every browser offer — that is not the RFC 2543 hold.
 */
function usesIce(session: SessionDescription, media: MediaDescription): boolean {
  const isIce = (a: SdpAttribute): boolean => a.kind === 'other' && a.name === 'ice-ufrag';
  return media.attributes.some(isIce) || session.attributes.some(isIce);
}
