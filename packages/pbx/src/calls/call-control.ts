import {
  createResponse,
  dialogIdOf,
  isDigestError,
  isSipParseError,
  isDialogError,
  parseCSeq,
  parseMaxForwards,
  parseNameAddr,
  parseRequestUri,
  tagOf,
  type InviteServerTransaction,
  type SipDestination,
  type SipRequest,
  type SipResponse,
  type ServerTransaction,
} from '@provod/sip';
import type { RequestAuthenticator } from '../auth/request-authenticator.ts';
import type { LocationService } from '../registrar/location-service.ts';
import { forkTarget, trunkInvite } from './fork-invite.ts';
import type { CallEventSink, CallIdentity } from './call-events.ts';
import { CallRecording, type CallRecordings, type RecordedCall } from './call-recording.ts';
import type { TrunkRoutes } from './trunk-routes.ts';
import {
  routeFromTrunk,
  routeToOwnNumber,
  type RoutedCallControlDeps,
  type RoutedStart,
} from '../routed/routed-call-control.ts';
import type { RoutedCallHooks } from '../routed/routed-call.ts';
import { BridgedCall, type CallEndReason, type CallTarget } from './bridged-call.ts';
import { CallIndex } from './call-index.ts';
import type { CallMediaStats, MediaAnchor } from './media-anchor.ts';
import type { SipNetwork } from './sip-network.ts';

export interface CallDirectory {
  tenantByDomain(domain: string): Promise<{ tenantId: string } | undefined>;
  extensionExists(tenantId: string, number: string): Promise<boolean>;
}

export interface CallSummary {
  readonly tenantId: string;
  /** The call's recording, when a party's policy asked for one and it was made. */
  readonly recording?: RecordedCall | undefined;
  /** Extension to extension, or out through a trunk to `callee`, an external number. */
  readonly direction: 'internal' | 'outbound';
  readonly caller: string;
  readonly callee: string;
  readonly reason: CallEndReason;
  /** The final status the caller got when the call was never answered. */
  readonly finalStatus: number | undefined;
  /** Both legs' RTP statistics when Provod anchored the call's media. */
  readonly media: CallMediaStats | undefined;
  /** The caller's Call-ID, to find the call in SIP traces. */
  readonly sipCallId: string;
  readonly startedAt: Date;
  readonly answeredAt: Date | undefined;
  readonly endedAt: Date;
}

export interface CallControlDeps {
  network: SipNetwork;
  directory: CallDirectory;
  location: LocationService;
  authenticator: RequestAuthenticator;
  /** Where calls' audio goes: Provod's relay, or phone to phone (passThroughMediaAnchor). */
  media: MediaAnchor;
  clock: () => Date;
  /** How long the callee's phones ring before the caller hears 480. */
  ringTimeoutMs: number;
  /** An answered call is hung up after this long. */
  maxCallDurationMs: number;
  /**
   * RFC 4028 session interval offered to callees and granted to callers that ask for none
   * (0: no session timers). A leg not refreshed within it ends the call.
   */
  sessionExpiresSeconds?: number;
  onCallEnded?: (summary: CallSummary) => void;
  /** Calls to phone numbers, routed by their schemes; without it only extensions are called. */
  routed?: RoutedCallControlDeps;
  /** Calls out to other numbers through the tenant's trunks; without it those are 404. */
  trunks?: TrunkRoutes;
  /** Every call's start, answer and end, for the live panel (the server's event bus). */
  onCallEvent?: CallEventSink;
  /** Recording policies and storage; without it nothing is recorded. */
  recordings?: CallRecordings;
  /** A recording that could not be made or finished (logged by the server). */
  onRecordingError?: (error: unknown) => void;
}

/**
 * Where every call starts: extension → extension (bridged as a B2BUA, bridged-call.ts),
 * a tenant's own number (routed by its scheme, routed/), anything else out through the
 * tenant's trunks. Finds the call a message belongs to (call-index.ts): new INVITEs
 * start calls, CANCEL stops one, requests and ACKs within a dialog go to its call, and
 * retransmitted 2xx responses get their ACK again.
 */
export function createCallControl(deps: CallControlDeps) {
  const index = new CallIndex(deps.network);
  const { byInvite, byRequest, dialogs, active } = index;
  const routedHooks = (transaction: InviteServerTransaction, key: string): RoutedCallHooks => ({
    dialogCreated: (dialogId, owner, side) => index.dialogCreated(dialogId, owner, side),
    dialogEnded: (dialogId) => index.dialogEnded(dialogId),
    answered: (call, by) =>
      deps.onCallEvent?.(call.tenantId, {
        type: 'answered',
        callId: call.sipCallId,
        by,
        at: deps.clock(),
      }),
    ended: (ended, reason) => {
      deps.onCallEvent?.(ended.tenantId, {
        type: 'ended',
        callId: ended.sipCallId,
        reason,
        at: deps.clock(),
      });
      index.remove(ended, transaction, key);
    },
  });
  const sessionExpiresSeconds = deps.sessionExpiresSeconds ?? 0;

  async function invite(
    request: SipRequest,
    transaction: InviteServerTransaction,
    source: SipDestination,
  ): Promise<void> {
    const key = requestKey(request);
    if (byRequest.has(key)) return;
    try {
      const refusal = await placeCall(request, transaction, source, key);
      if (refusal !== undefined) transaction.respond(refusal);
    } catch (error) {
      if (!isSipParseError(error) && !isDigestError(error) && !isDialogError(error)) throw error;
      transaction.respond(
        createResponse(request, 400, { reason: `Bad Request (${error.message})` }),
      );
    }
  }

  async function placeCall(
    request: SipRequest,
    transaction: InviteServerTransaction,
    source: SipDestination,
    key: string,
  ): Promise<SipResponse | undefined> {
    const maxForwards = request.headers.get('max-forwards');
    const hops = maxForwards === undefined ? 70 : parseMaxForwards(maxForwards);
    if (hops === 0) return createResponse(request, 483);
    const target = parseRequestUri(request.uri);
    if (target.kind !== 'sip') return createResponse(request, 416);
    const from = parseNameAddr(request.headers.get('from') ?? '');
    const fromHost = from.uri.kind === 'sip' ? from.uri.host : undefined;
    const domain = await servedDomain([target.host, fromHost]);
    const incoming = { request, transaction, source };
    if (domain === undefined) {
      // Not a tenant's phone: a carrier's call to one of the tenants' numbers, or nothing.
      const inbound =
        deps.routed &&
        (await routeFromTrunk(deps.routed, routedHooks(transaction, key), incoming, {
          user: target.user,
          from,
          hops,
        }));
      if (inbound === undefined || inbound === 'not_routed') {
        return createResponse(request, 404, { reason: 'Domain Not Served' });
      }
      return track(inbound, transaction, key);
    }

    const outcome = await deps.authenticator.authenticate(request, {
      tenantId: domain.tenantId,
      realm: domain.name,
      sourceAddress: source.address,
      challengeStatus: 407,
      claimedUser: from.uri.kind === 'sip' ? from.uri.user : undefined,
    });
    if (outcome.kind === 'refused') return outcome.response;

    const callee = target.user;
    if (callee === undefined) return createResponse(request, 404);
    if (!(await deps.directory.extensionExists(domain.tenantId, callee))) {
      // Not an extension: maybe one of the tenant's own numbers, routed by its scheme.
      const caller = { number: outcome.username, displayName: from.displayName, hops: hops - 1 };
      const internal =
        deps.routed &&
        (await routeToOwnNumber(deps.routed, routedHooks(transaction, key), incoming, {
          tenantId: domain.tenantId,
          number: callee,
          caller,
        }));
      if (internal !== undefined && internal !== 'not_routed') {
        return track(internal, transaction, key);
      }
      return dialOut(incoming, key, {
        tenantId: domain.tenantId,
        caller: outcome.username,
        number: callee,
        hops: hops - 1,
      });
    }
    const bindings = deps.location.lookup(
      { tenantId: domain.tenantId, user: callee },
      deps.clock().getTime(),
    );
    if (bindings.length === 0) return createResponse(request, 480);
    const identity = { caller: outcome.username, callee, domain: domain.name, hops: hops - 1 };
    return bridge(incoming, key, {
      tenantId: domain.tenantId,
      direction: 'internal',
      caller: outcome.username,
      callee,
      targets: (params) =>
        bindings.map((binding) => forkTarget(deps.network, binding, { ...identity, ...params })),
    });
  }

  /** A call from an extension to a number outside Provod, through the tenant's trunks. */
  async function dialOut(
    incoming: { request: SipRequest; transaction: InviteServerTransaction; source: SipDestination },
    key: string,
    call: { tenantId: string; caller: string; number: string; hops: number },
  ): Promise<SipResponse | undefined> {
    const route =
      deps.trunks && (await deps.trunks.outbound(call.tenantId, call.caller, call.number));
    if (route === undefined) return createResponse(incoming.request, 404);
    return bridge(incoming, key, {
      tenantId: call.tenantId,
      direction: 'outbound',
      caller: call.caller,
      callee: call.number,
      targets: (params) =>
        route.trunks.map((trunk) =>
          trunkInvite(deps.network, trunk, call.number, {
            ...params,
            caller: route.callerId,
            hops: call.hops,
          }),
        ),
      // One trunk at a time: the next only when the one before failed as a trunk.
      oneAtATime: true,
    });
  }

  /**
   * Opens the call's media and rings the targets, bridging the first to answer (the
   * common tail of extension and trunk calls).
   */
  async function bridge(
    incoming: { request: SipRequest; transaction: InviteServerTransaction; source: SipDestination },
    key: string,
    call: {
      tenantId: string;
      direction: 'internal' | 'outbound';
      caller: string;
      callee: string;
      targets: (params: {
        displayName: string | undefined;
        body: Buffer;
        contentType: string | undefined;
        sessionExpiresSeconds: number;
      }) => CallTarget[];
      oneAtATime?: boolean;
    },
  ): Promise<SipResponse | undefined> {
    const { request, transaction, source } = incoming;
    // The phone may have cancelled while the directory was asked.
    if (transaction.state !== 'proceeding') return undefined;
    const opening = await deps.media.open(request);
    if (opening.kind === 'exhausted') {
      return createResponse(request, 503, { reason: 'Service Unavailable (no media ports)' });
    }
    const { media } = opening;
    // …or while the ports were opened: nothing rings, the ports go back.
    if (transaction.state !== 'proceeding') {
      await media.close();
      return undefined;
    }
    const targets = call.targets({
      displayName: parseNameAddr(request.headers.get('from') ?? '').displayName,
      body: media.relayBody('caller', request, 'offer'),
      contentType: request.headers.get('content-type'),
      sessionExpiresSeconds,
    });
    const startedAt = deps.clock();
    let answeredAt: Date | undefined;
    const identity: CallIdentity = {
      callId: request.headers.get('call-id') ?? '',
      direction: call.direction,
      caller: call.caller,
      callee: call.callee,
      startedAt,
    };
    const recording = new CallRecording(
      deps.recordings?.target(call.tenantId, [call.caller, call.callee]) ??
        Promise.resolve(undefined),
      media,
      (error) => deps.onRecordingError?.(error),
    );
    const bridged = new BridgedCall(
      request,
      transaction,
      source,
      deps.network,
      {
        dialogCreated: (dialogId, owner, side) => index.dialogCreated(dialogId, owner, side),
        dialogEnded: (dialogId) => index.dialogEnded(dialogId),
        answered: () => {
          answeredAt = deps.clock();
          recording.answered();
          deps.onCallEvent?.(call.tenantId, {
            type: 'answered',
            callId: identity.callId,
            by: call.callee,
            at: answeredAt,
          });
        },
        ended: (ended, reason, finalStatus) => {
          deps.onCallEvent?.(call.tenantId, {
            type: 'ended',
            callId: identity.callId,
            reason: finalStatus === undefined ? reason : `${reason} (${finalStatus})`,
            at: deps.clock(),
          });
          index.remove(ended, transaction, key);
          const endedAt = deps.clock();
          // The summary waits for the recording's file to be finished (a few ms).
          void recording
            .ended()
            .catch((error: unknown) => {
              deps.onRecordingError?.(error);
              return undefined;
            })
            .then((recorded) =>
              deps.onCallEnded?.({
                tenantId: call.tenantId,
                direction: call.direction,
                caller: call.caller,
                callee: call.callee,
                reason,
                finalStatus,
                media: ended.mediaStats,
                sipCallId: request.headers.get('call-id') ?? '',
                startedAt,
                answeredAt,
                endedAt,
                recording: recorded,
              }),
            );
        },
      },
      media,
    );
    index.add(bridged, transaction, key);
    deps.onCallEvent?.(call.tenantId, { type: 'started', call: identity });
    const [first, ...rest] = targets;
    const ringing = call.oneAtATime === true && first !== undefined ? [first] : targets;
    const fallbacks = call.oneAtATime === true ? rest : [];
    bridged.start(
      ringing,
      deps.ringTimeoutMs,
      deps.maxCallDurationMs,
      sessionExpiresSeconds,
      fallbacks,
    );
    return undefined;
  }

  async function servedDomain(
    hosts: readonly (string | undefined)[],
  ): Promise<{ name: string; tenantId: string } | undefined> {
    for (const host of hosts) {
      if (host === undefined) continue;
      const name = host.toLowerCase();
      const tenant = await deps.directory.tenantByDomain(name);
      if (tenant !== undefined) return { name, tenantId: tenant.tenantId };
    }
    return undefined;
  }

  /** Indexes a routed call that started (or hands back the refusal of one that did not). */
  function track(
    started: RoutedStart,
    transaction: InviteServerTransaction,
    key: string,
  ): SipResponse | undefined {
    if (started.kind === 'refused') return started.response;
    // A call may be over before it is indexed (the caller cancelled while it started).
    if (started.call.reason !== undefined) return undefined;
    deps.onCallEvent?.(started.call.tenantId, { type: 'started', call: started.call.identity });
    index.add(started.call, transaction, key);
    return undefined;
  }

  function inDialog(request: SipRequest, transaction: ServerTransaction): void {
    const entry = dialogs.get(dialogIdOf(request, 'uas'));
    if (entry === undefined) {
      transaction.respond(createResponse(request, 481));
      return;
    }
    entry.call.inDialogRequest(entry.side, request, (response) => transaction.respond(response));
  }

  return {
    /** A request from outside Provod's dialogs or within one. */
    async handleInvite(
      request: SipRequest,
      transaction: InviteServerTransaction,
      source: SipDestination,
    ): Promise<void> {
      if (tagOf(request.headers.get('to') ?? '') !== undefined) inDialog(request, transaction);
      else await invite(request, transaction, source);
    },
    handleInDialog: inDialog,
    /** §9.2: 200 to the CANCEL and 487 to the INVITE, or 481 when there is nothing to cancel. */
    handleCancel(
      cancel: SipRequest,
      transaction: ServerTransaction,
      cancelled: InviteServerTransaction | undefined,
    ): void {
      if (cancelled === undefined || cancelled.state !== 'proceeding') {
        transaction.respond(createResponse(cancel, 481));
        return;
      }
      transaction.respond(createResponse(cancel, 200));
      const call = byInvite.get(cancelled);
      // Not yet a call: the INVITE is still being authenticated or looked up.
      if (call === undefined) cancelled.respond(createResponse(cancelled.request, 487));
      else call.cancel();
    },
    /** An ACK outside transactions: for a 2xx of one of the calls. */
    handleAck(ack: SipRequest): void {
      const entry = dialogs.get(dialogIdOf(ack, 'uas'));
      entry?.call.acknowledged(entry.side, ack);
    },
    /** A 2xx retransmitted after its transaction ended. */
    handleStrayResponse(response: SipResponse): void {
      if (response.status < 200 || response.status >= 300) return;
      const entry = dialogs.get(dialogIdOf(response, 'uac'));
      entry?.call.strayAnswer(response);
    },
    get activeCalls(): number {
      return active.size;
    },
    /** Shutdown: answered calls get BYEs, ringing ones are cancelled; all media is released. */
    hangUpAll(): void {
      for (const call of active) call.shutdown();
    },
  };
}

export type CallControl = ReturnType<typeof createCallControl>;

function requestKey(request: SipRequest): string {
  const callId = request.headers.get('call-id') ?? '';
  const fromTag = tagOf(request.headers.get('from') ?? '') ?? '';
  const seq = parseCSeq(request.headers.get('cseq') ?? '').seq;
  return `${callId}\u0000${fromTag}\u0000${seq}`;
}
