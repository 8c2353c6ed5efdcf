import type { SoftphoneCredentials } from '@provod/contracts';
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import { isApiError } from '../api/api-error.ts';
import { useSessionStore } from '../stores/session.ts';
import type { AudioStats } from './audio-stats.ts';
import {
  idle,
  nextCallState,
  type CallEvent,
  type CallHistoryEntry,
  type CallState,
} from './call-state.ts';
import { dialTarget, webSocketUrlFor, type DialPadKey } from './dial-target.ts';
import type { LineEvent, SipPhone } from './sip-phone.ts';

/** The account the softphone works as, without its password. */
export type SoftphoneAccount = Pick<
  SoftphoneCredentials,
  'extension' | 'displayName' | 'sipDomain'
>;

/** The softphone's line: from "not started" to registered, or why not. */
export type LineState =
  | { kind: 'off' }
  | { kind: 'loading' }
  /** The person owns no extension (an administrator sets the owner on the extension). */
  | { kind: 'no_extension' }
  | { kind: 'connecting'; account: SoftphoneAccount }
  | { kind: 'registered'; account: SoftphoneAccount }
  | { kind: 'unregistered'; account: SoftphoneAccount }
  /** statusCode: the registrar's refusal; null for no connection or no answer. */
  | { kind: 'failed'; account: SoftphoneAccount | null; statusCode: number | null };

/** This session's calls, newest first, at most this many. */
const historyLimit = 50;

/**
 * The softphone docked in every page: registers as the logged-in person's own extension
 * (GET /me/softphone) when the cabinet opens, and holds the one call and this session's
 * history. JsSIP is loaded only when there is an extension to register, so the first page
 * does not carry it.
 */
export const useSoftphoneStore = defineStore('softphone', () => {
  const session = useSessionStore();
  const line = ref<LineState>({ kind: 'off' });
  const call = ref<CallState>(idle);
  const history = ref<CallHistoryEntry[]>([]);
  const remoteStream = shallowRef<MediaStream | null>(null);
  /** Digits sent as DTMF on the current call, shown under the timer. */
  const sentDigits = ref('');
  let phone: SipPhone | null = null;
  let starting: Promise<void> | null = null;
  /** Bumped by stop(): events of a phone stopped meanwhile are not this line's any more. */
  let generation = 0;

  const account = computed(() =>
    line.value.kind === 'connecting' ||
    line.value.kind === 'registered' ||
    line.value.kind === 'unregistered' ||
    line.value.kind === 'failed'
      ? line.value.account
      : null,
  );

  function onLine(event: LineEvent, of: SoftphoneAccount): void {
    line.value =
      event.kind === 'failed'
        ? { kind: 'failed', account: of, statusCode: event.statusCode }
        : { kind: event.kind, account: of };
  }

  function onCall(event: CallEvent): void {
    const { state, finished } = nextCallState(call.value, event);
    call.value = state;
    if (state.kind === 'idle') sentDigits.value = '';
    if (finished !== null) remember(finished);
  }

  function remember(entry: CallHistoryEntry): void {
    history.value = [entry, ...history.value].slice(0, historyLimit);
  }

  async function register(): Promise<void> {
    const user = session.user;
    if (user === null || !session.can('softphone:use')) return;
    line.value = { kind: 'loading' };
    const mine = ++generation;
    const current = () => mine === generation;
    try {
      // Asked first so that a person without an extension (a normal case) causes no 404.
      const extensions = await session.api.extensions.list();
      if (!current()) return;
      if (!extensions.some((extension) => extension.userId === user.id)) {
        line.value = { kind: 'no_extension' };
        return;
      }
      const credentials = await session.api.softphone.credentials();
      const { startSipPhone } = await import('./sip-phone.ts');
      if (!current()) return; // stopped meanwhile (logout)
      const of: SoftphoneAccount = {
        extension: credentials.extension,
        displayName: credentials.displayName,
        sipDomain: credentials.sipDomain,
      };
      line.value = { kind: 'connecting', account: of };
      phone = startSipPhone({
        account: credentials,
        webSocketUrl: webSocketUrlFor(window.location, credentials.webSocketPath),
        now: () => Date.now(),
        listener: {
          line: (event) => {
            if (current()) onLine(event, of);
          },
          call: (event) => {
            if (current()) onCall(event);
          },
          missedWhileBusy: (peer, at) => {
            if (!current()) return;
            remember({
              direction: 'incoming',
              peer,
              startedAt: at,
              answeredAt: null,
              endedAt: at,
              outcome: 'missed',
            });
          },
          remoteAudio: (stream) => {
            if (current()) remoteStream.value = stream;
          },
        },
      });
    } catch (error) {
      if (!isApiError(error)) throw error;
      if (!current()) return;
      line.value =
        error.code === 'not_found'
          ? { kind: 'no_extension' }
          : { kind: 'failed', account: null, statusCode: null };
    }
  }

  /** Registers once; later calls while starting or started do nothing. */
  function start(): Promise<void> {
    if (line.value.kind !== 'off') return starting ?? Promise.resolve();
    starting = register().finally(() => {
      starting = null;
    });
    return starting;
  }

  /** Unregisters and forgets the session's calls (logout, leaving the cabinet). */
  function stop(): void {
    generation++;
    phone?.stop();
    phone = null;
    line.value = { kind: 'off' };
    call.value = idle;
    history.value = [];
    remoteStream.value = null;
    sentDigits.value = '';
  }

  /** False when what was typed is no number, so the dial pad can say so. */
  function dial(typed: string): boolean {
    const number = dialTarget(typed);
    if (number === null || phone === null || call.value.kind !== 'idle') return false;
    phone.dial(number);
    return true;
  }

  function sendDigit(digit: DialPadKey): void {
    if (call.value.kind !== 'in_call') return;
    phone?.sendDigit(digit);
    sentDigits.value += digit;
  }

  return {
    line,
    call,
    history,
    remoteStream,
    sentDigits,
    account,
    start,
    stop,
    dial,
    sendDigit,
    answer: () => phone?.answer(),
    reject: () => phone?.reject(),
    hangUp: () => phone?.hangUp(),
    toggleHold: () => {
      if (call.value.kind === 'in_call') phone?.setHeld(!call.value.heldBy.local);
    },
    toggleMute: () => {
      if (call.value.kind === 'in_call') phone?.setMuted(!call.value.muted);
    },
    audioStats: (): Promise<AudioStats | null> => phone?.audioStats() ?? Promise.resolve(null),
  };
});
