import {
  isRtpSessionError,
  playPrompts,
  tapLegAudio,
  VoicemailRecorder,
  type MediaLeg,
} from '@provod/media';
import type { CallTarget } from '../calls/bridged-call.ts';
import { forkTarget, trunkInvite } from '../calls/fork-invite.ts';
import type { TrunkRoutes } from '../calls/trunk-routes.ts';
import type { LocationService } from '../registrar/location-service.ts';
import type { CallActions, RingOutcome, RingTarget } from '../routing/routing-context.ts';
import { readEntry } from './digit-queue.ts';
import { LocalSdp } from './local-sdp.ts';
import { RingAttempt } from './ring-attempt.ts';
import type { RoutedCall } from './routed-call.ts';
import type {
  BuiltInPrompt,
  PromptStore,
  SchemeRoute,
  VoicemailBoxes,
} from '../calls/scheme-routes.ts';

/** What a routed call cannot do yet; the scheme's walk fails with it and the CDR says so. */
export class RoutedCallError extends Error {
  override readonly name = 'RoutedCallError';
  constructor(
    readonly code: 'feature_unavailable' | 'ports_exhausted',
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

export function isRoutedCallError(error: unknown): error is RoutedCallError {
  return error instanceof RoutedCallError;
}

export interface RoutedCallEnvironment {
  readonly call: RoutedCall;
  readonly route: SchemeRoute;
  /** The caller as the callee's phone shows it: the number, and a display name if any. */
  readonly caller: { readonly number: string; readonly displayName: string | undefined };
  /** Max-Forwards left for the INVITEs Provod sends on the caller's behalf. */
  readonly hops: number;
  readonly prompts: PromptStore;
  readonly voicemail: VoicemailBoxes;
  /** The tenant's trunks, for forwarding to external numbers; without them those are unreachable. */
  readonly trunks: TrunkRoutes | undefined;
  readonly location: LocationService;
  /** A new media leg from the RTP pool (for a ring's callee). */
  readonly openLeg: () => Promise<MediaLeg>;
  readonly advertisedHost: string;
  readonly clock: () => Date;
  /** No RTP from the caller for this long ends an answered call; null: never. */
  readonly mediaTimeoutMs: number | null;
  /** RFC 4028 interval offered to the phones a ring calls; 0: none. */
  readonly sessionExpiresSeconds: number;
}

/**
 * The routing engine's CallActions on a real call: answering, early media, prompts on
 * the caller's media leg, menus read from its keys, rings that bridge the caller to the
 * phone that answers. Actions whose media features are not built yet (voicemail
 * recording, queues, conferences, calls out through a trunk) fail with a RoutedCallError
 * naming the feature, so the call ends with that cause instead of pretending.
 */
export function routedCallActions(env: RoutedCallEnvironment): CallActions {
  const { call, route } = env;
  const signal = call.hungUp.signal;

  async function play(sound: string | null, fallback: BuiltInPrompt, barge?: AbortSignal) {
    const prompt = await env.prompts.prompt(route.tenantId, sound, fallback);
    if (signal.aborted) return;
    await playPrompts(call.callerLeg, [prompt], {
      signal: barge === undefined ? signal : AbortSignal.any([signal, barge]),
    });
  }

  async function ring(
    targets: readonly RingTarget[],
    timeoutSeconds: number,
  ): Promise<RingOutcome> {
    const external = targets.filter((target) => target.kind === 'external');
    if (external.length > 0) {
      const [only] = external;
      if (only === undefined || targets.length > 1) {
        throw new RoutedCallError(
          'feature_unavailable',
          'ringing phones and external numbers at once is not available on calls yet',
        );
      }
      return dialOut(only.number, timeoutSeconds, 'caller');
    }
    const now = env.clock().getTime();
    const bindings = targets.flatMap((target) =>
      env.location
        .lookup({ tenantId: route.tenantId, user: target.number }, now)
        .map((binding) => ({ binding, number: target.number })),
    );
    if (bindings.length === 0) return { kind: 'unreachable' };
    return ringOnce(timeoutSeconds, (offer) =>
      bindings.map(({ binding, number }) => ({
        party: number,
        target: forkTarget(call.network, binding, {
          ...inviteParams(offer),
          callee: number,
          domain: route.domain,
        }),
      })),
    );
  }

  function inviteParams(offer: Buffer) {
    return {
      caller: env.caller.number,
      displayName: env.caller.displayName,
      hops: env.hops,
      body: offer,
      contentType: 'application/sdp',
      sessionExpiresSeconds: env.sessionExpiresSeconds,
    };
  }

  /**
   * An external number through the tenant's trunks, one trunk at a time: the next when
   * one fails as a trunk (5xx, silence — 'unreachable'). The callee sees the original
   * caller's number, or the number the caller dialled (the tenant's).
   */
  async function dialOut(
    number: string,
    timeoutSeconds: number,
    callerId: 'caller' | 'tenant',
  ): Promise<RingOutcome> {
    const trunks = await env.trunks?.outbound(route.tenantId, '', number);
    if (trunks === undefined) return { kind: 'unreachable' };
    const shown = callerId === 'caller' ? env.caller.number : route.number;
    let outcome: RingOutcome = { kind: 'unreachable' };
    for (const trunk of trunks.trunks) {
      outcome = await ringOnce(timeoutSeconds, (offer) => [
        {
          party: number,
          target: trunkInvite(call.network, trunk, number, {
            ...inviteParams(offer),
            caller: shown,
          }),
        },
      ]);
      if (outcome.kind !== 'unreachable' || signal.aborted) break;
    }
    return outcome;
  }

  /** One ring with Provod's offer on a fresh callee leg; bridged when answered. */
  async function ringOnce(
    timeoutSeconds: number,
    targetsFor: (offer: Buffer) => { readonly party: string; readonly target: CallTarget }[],
  ): Promise<RingOutcome> {
    const leg = await openCalleeLeg();
    const sdp = new LocalSdp(env.advertisedHost, leg.localPort);
    const attempt = new RingAttempt(call.network, sdp, { ringing: () => call.caller.ringing() });
    const targets = targetsFor(sdp.offer());
    const result = await attempt.run(
      targets.map(({ target }) => target),
      timeoutSeconds * 1000,
      signal,
    );
    if (result.kind !== 'answered' || signal.aborted) {
      await leg.close();
      return result.kind === 'answered' ? { kind: 'no_answer' } : result;
    }
    const answeredBy = targets[result.answered.target]?.party ?? 'unknown';
    if (call.caller.state !== 'answered') answer();
    call.bridge(answeredBy, result.answered, { leg, sdp }, env.clock());
    leg.setMediaTimeout(env.mediaTimeoutMs);
    return { kind: 'answered', by: answeredBy };
  }

  async function openCalleeLeg(): Promise<MediaLeg> {
    try {
      return await env.openLeg();
    } catch (error) {
      if (!isRtpSessionError(error) || error.code !== 'ports_exhausted') throw error;
      throw new RoutedCallError('ports_exhausted', 'no RTP ports left for the callee', {
        cause: error,
      });
    }
  }

  function answer(): void {
    call.caller.answer();
    call.answeredAt ??= env.clock();
    call.callerLeg.setMediaTimeout(env.mediaTimeoutMs);
  }

  const unavailable = (feature: string) => async (): Promise<never> => {
    throw new RoutedCallError('feature_unavailable', `${feature} is not available on calls yet`);
  };

  return {
    answer: async () => answer(),
    earlyMedia: async () => {
      call.caller.earlyMedia();
    },
    ring,
    playPrompt: (sound) => play(sound, 'unavailable'),
    async collectDigits({ prompt, timeoutSeconds, maxDigits }) {
      call.digits.clear();
      const bargeIn = new AbortController();
      const stopListening = call.digits.onKey(() => bargeIn.abort());
      try {
        // docs/routing-schemes.md: a menu without a prompt waits in silence.
        if (prompt !== null) await play(prompt, 'menu', bargeIn.signal);
      } finally {
        stopListening();
      }
      const entry = await readEntry(call.digits, maxDigits, timeoutSeconds * 1000, signal);
      return entry === '' ? { kind: 'timeout' } : { kind: 'digits', digits: entry };
    },
    recordVoicemail: (request) => call.outliving(recordVoicemail(env, request)),
    forward: (number, options) => dialOut(number, options.timeoutSeconds, options.callerId),
    waitInQueue: unavailable('a queue'),
    joinConference: unavailable('a conference room'),
    async hangup(cause) {
      const status = cause === 'busy' ? 486 : cause === 'rejected' ? 603 : 480;
      call.hangUp('scheme_ended', status);
    },
  };
}

/** A pause this long after the caller spoke ends a message, as on every answering machine. */
const voicemailSilenceMs = 5_000;

/**
 * docs/routing-schemes.md, voicemail: the greeting (the node's, or the built-in one),
 * the tone, then the message until `maxSeconds`, a pause after speech, the # key or the
 * caller hanging up — which still keeps what was said. No speech: no message.
 */
async function recordVoicemail(
  env: RoutedCallEnvironment,
  request: { mailbox: string; greeting: string | null; maxSeconds: number },
): Promise<{ kind: 'recorded' } | { kind: 'no_message' }> {
  const { call, route } = env;
  const signal = call.hungUp.signal;
  const draft = await env.voicemail.open(route.tenantId, request.mailbox);
  if (draft === undefined) return { kind: 'no_message' };
  const greeting = await env.prompts.prompt(route.tenantId, request.greeting, 'voicemail_greeting');
  const beep = await env.prompts.prompt(route.tenantId, null, 'beep');
  await playPrompts(call.callerLeg, [greeting, beep], { signal });
  const recorder = new VoicemailRecorder({
    maxMs: request.maxSeconds * 1000,
    silenceMs: voicemailSilenceMs,
  });
  call.digits.clear();
  const stopTap = tapLegAudio(call.callerLeg, (pcm) => recorder.write(pcm));
  const stopKeys = call.digits.onKey(() => void recorder.stop());
  const onHangUp = () => void recorder.stop();
  signal.addEventListener('abort', onHangUp, { once: true });
  if (signal.aborted) onHangUp();
  const message = await recorder.done;
  stopTap();
  stopKeys();
  signal.removeEventListener('abort', onHangUp);
  if (!message.heardSpeech) return { kind: 'no_message' };
  await draft.save({ caller: env.caller.number, wav: message.wav, durationMs: message.durationMs });
  call.voicemailLeft = request.mailbox;
  return { kind: 'recorded' };
}
