import type { SoftphoneCredentials } from '@provod/contracts';
import { C, UA, WebSocketInterface } from 'jssip';
import type { EndEvent, RTCSession } from 'jssip/lib/RTCSession';
import type { RTCSessionEvent } from 'jssip/lib/UA';
import { audioStatsOf, type AudioStats } from './audio-stats.ts';
import { outcomeOfFailure, type CallDirection, type CallEvent, type Peer } from './call-state.ts';
import { sipUriFor, type DialPadKey } from './dial-target.ts';

/** What the registration is doing, as JsSIP's user agent reports it. */
export type LineEvent =
  | { kind: 'connecting' }
  | { kind: 'registered' }
  | { kind: 'unregistered' }
  /** statusCode: the registrar's refusal (403…); null when the WebSocket is down. */
  | { kind: 'failed'; statusCode: number | null };

export interface SipPhoneListener {
  line(event: LineEvent): void;
  call(event: CallEvent): void;
  /** A call refused with 486 because this phone was already in one. */
  missedWhileBusy(peer: Peer, at: number): void;
  /** The other party's audio to play, or null when the call is over. */
  remoteAudio(stream: MediaStream | null): void;
}

export interface SipPhoneOptions {
  account: SoftphoneCredentials;
  /** ws:// or wss:// URL of Provod's SIP over WebSocket (RFC 7118). */
  webSocketUrl: string;
  listener: SipPhoneListener;
  now: () => number;
}

export interface SipPhone {
  dial(number: string): void;
  answer(): void;
  reject(): void;
  hangUp(): void;
  setHeld(held: boolean): void;
  setMuted(muted: boolean): void;
  sendDigit(digit: DialPadKey): void;
  /** Packets each way on the current call; null with no call or no media yet. */
  audioStats(): Promise<AudioStats | null>;
  stop(): void;
}

/** Audio only; the browser asks for the microphone when the first call starts. */
const mediaConstraints = { audio: true, video: false };
/**
 * No STUN or TURN yet: host candidates reach a browser on the same network (and on
 * loopback). Across NAT the media engine will anchor the audio on Provod.
 */
const pcConfig: RTCConfiguration = { iceServers: [] };
/** RFC 3261 §21.4.24 486 Busy Here: refusing leaves other phones of the extension ringing. */
const busyHere = { status_code: 486, reason_phrase: 'Busy Here' };

/**
 * A JsSIP user agent (https://jssip.net/documentation/3.10.x/api/ua/) registered as the
 * person's extension over WebSocket, with at most one call at a time. It turns JsSIP's
 * events into the softphone's own (LineEvent, CallEvent) and never holds UI state itself.
 */
export function startSipPhone(options: SipPhoneOptions): SipPhone {
  const { account, listener, now } = options;
  const ua = new UA({
    sockets: [new WebSocketInterface(options.webSocketUrl)],
    uri: `sip:${account.extension}@${account.sipDomain}`,
    authorization_user: account.extension,
    password: account.sipPassword,
    display_name: account.displayName === '' ? undefined : account.displayName,
    register: true,
    // Re-registers well before Provod's 1-hour cap; Provod refuses under 60 s (docs/sip.md).
    register_expires: 300,
    // RFC 4028 session timers would add refresh re-INVITEs the B2BUA does not need.
    session_timers: false,
    user_agent: 'Provod cabinet softphone',
  });
  let current: RTCSession | null = null;
  let endedByUser = false;

  ua.on('connecting', () => listener.line({ kind: 'connecting' }));
  ua.on('registered', () => listener.line({ kind: 'registered' }));
  ua.on('unregistered', () => listener.line({ kind: 'unregistered' }));
  ua.on('registrationFailed', (event) => {
    // JsSIP leaves `response` unset when no answer came (transport error, timeout).
    const response: { status_code: number } | undefined = event.response;
    listener.line({ kind: 'failed', statusCode: response?.status_code ?? null });
  });
  ua.on('disconnected', () => listener.line({ kind: 'failed', statusCode: null }));
  ua.on('newRTCSession', (event: RTCSessionEvent) => {
    if (String(event.originator) === 'remote') incoming(event.session);
  });
  ua.start();

  function incoming(session: RTCSession): void {
    const peer = peerOf(session);
    if (current !== null) {
      session.terminate(busyHere);
      listener.missedWhileBusy(peer, now());
      return;
    }
    track(session, 'incoming', peer);
  }

  function track(session: RTCSession, direction: CallDirection, peer: Peer): void {
    current = session;
    endedByUser = false;
    listener.call({ kind: direction === 'outgoing' ? 'dialed' : 'incoming', peer, at: now() });
    // An outgoing session has its connection already; an incoming one gets it on answer.
    if (direction === 'outgoing') playRemoteAudioOf(session.connection);
    session.on('peerconnection', (event) => playRemoteAudioOf(event.peerconnection));
    session.on('progress', () => listener.call({ kind: 'ringing' }));
    session.on('accepted', () => listener.call({ kind: 'answered', at: now() }));
    session.on('hold', (event) =>
      listener.call({
        kind: 'hold',
        by: String(event.originator) === 'remote' ? 'remote' : 'local',
        held: true,
      }),
    );
    session.on('unhold', (event) =>
      listener.call({
        kind: 'hold',
        by: String(event.originator) === 'remote' ? 'remote' : 'local',
        held: false,
      }),
    );
    session.on('muted', () => listener.call({ kind: 'mute', muted: true }));
    session.on('unmuted', () => listener.call({ kind: 'mute', muted: false }));
    session.on('ended', () => finish(session, { kind: 'ended', outcome: 'completed', at: now() }));
    session.on('failed', (event: EndEvent) =>
      finish(session, {
        kind: 'ended',
        outcome: outcomeOfFailure({
          direction,
          originator: originatorOf(event),
          statusCode: statusCodeOf(event),
          endedByUser,
        }),
        at: now(),
      }),
    );
  }

  function playRemoteAudioOf(connection: RTCPeerConnection | undefined): void {
    connection?.addEventListener('track', (event) => {
      listener.remoteAudio(event.streams[0] ?? new MediaStream([event.track]));
    });
  }

  function finish(session: RTCSession, event: CallEvent): void {
    if (session !== current) return;
    current = null;
    listener.remoteAudio(null);
    listener.call(event);
  }

  /** The current call, if it can still be acted on. */
  function live(): RTCSession | null {
    return current !== null && !current.isEnded() ? current : null;
  }

  return {
    dial(number) {
      if (current !== null) return;
      const session = ua.call(sipUriFor(number, account.sipDomain), { mediaConstraints, pcConfig });
      track(session, 'outgoing', { number, name: null });
    },
    answer() {
      live()?.answer({ mediaConstraints, pcConfig });
    },
    reject() {
      endedByUser = true;
      live()?.terminate(busyHere);
    },
    hangUp() {
      endedByUser = true;
      live()?.terminate();
    },
    setHeld(held) {
      const session = live();
      if (session === null) return;
      if (held) session.hold();
      else session.unhold();
    },
    setMuted(muted) {
      const session = live();
      if (session === null) return;
      if (muted) session.mute({ audio: true });
      else session.unmute({ audio: true });
    },
    sendDigit(digit) {
      // RFC 4733 telephone-events in the audio stream (RTCDTMFSender), not SIP INFO: what
      // IVRs and desk phones expect once the media engine anchors the audio.
      live()?.sendDTMF(digit, { transportType: C.DTMF_TRANSPORT.RFC2833 });
    },
    async audioStats() {
      const connection = live()?.connection;
      if (connection === undefined) return null;
      return audioStatsOf((await connection.getStats()).values());
    },
    stop() {
      live()?.terminate();
      ua.stop();
    },
  };
}

function peerOf(session: RTCSession): Peer {
  const identity = session.remote_identity;
  // JsSIP leaves display_name undefined when the From header has none.
  const name: string | undefined = identity.display_name;
  return { number: identity.uri.user, name: name === undefined || name === '' ? null : name };
}

function originatorOf(event: EndEvent): 'local' | 'remote' | 'system' {
  switch (String(event.originator)) {
    case 'local':
      return 'local';
    case 'remote':
      return 'remote';
    default:
      return 'system';
  }
}

/** The final response that ended an outgoing call; requests (CANCEL, BYE) carry none. */
function statusCodeOf(event: EndEvent): number | null {
  const message: unknown = event.message;
  if (typeof message !== 'object' || message === null || !('status_code' in message)) return null;
  return typeof message.status_code === 'number' ? message.status_code : null;
}
