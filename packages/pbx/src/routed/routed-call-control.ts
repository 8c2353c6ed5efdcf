import { isRtpSessionError, type MediaLeg } from '@provod/media';
import {
  createResponse,
  SdpNegotiationError,
  SdpParseError,
  type InviteServerTransaction,
  type SipDestination,
  type SipRequest,
  type SipResponse,
  parseNameAddr,
  type NameAddr,
} from '@provod/sip';
import type {
  PromptStore,
  SchemeDirectory,
  SchemeLookup,
  SchemeRoute,
  VoicemailBoxes,
} from '../calls/scheme-routes.ts';
import type { SipNetwork } from '../calls/sip-network.ts';
import type { TrunkRoutes } from '../calls/trunk-routes.ts';
import type { LocationService } from '../registrar/location-service.ts';
import type { CallEnd } from '../routing/node-handler.ts';
import type { RoutingContext } from '../routing/routing-context.ts';
import { RoutingWalk, type RoutingPathStep } from '../routing/routing-engine.ts';
import { routedCallActions } from './routed-call-actions.ts';
import {
  RoutedCall,
  type RoutedCallEndReason,
  type RoutedCallHooks,
  type RoutedCallMedia,
} from './routed-call.ts';

export interface RoutedCallDeps {
  readonly network: SipNetwork;
  readonly location: LocationService;
  readonly schemes: SchemeDirectory;
  readonly prompts: PromptStore;
  readonly voicemail: VoicemailBoxes;
  /** The tenants' trunks: forwarding to external numbers goes out through them. */
  readonly trunks?: TrunkRoutes | undefined;
  /** A media leg from the RTP pool; rejects when the pool is exhausted. */
  openLeg(events: { onMediaTimeout(): void }): Promise<MediaLeg>;
  readonly advertisedHost: string;
  readonly clock: () => Date;
  readonly maxCallDurationMs: number;
  readonly mediaTimeoutMs: number | null;
  readonly sessionExpiresSeconds: number;
  onEnded(summary: RoutedCallSummary): void;
  /** A scheme that failed on a live call (a node's error): logged by the server. */
  onError(error: unknown, summary: { tenantId: string; sipCallId: string }): void;
}

/** What routing a call needs beyond the routed call's own dependencies. */
export type RoutedCallControlDeps = RoutedCallDeps;

export type RoutedStart =
  | { readonly kind: 'started'; readonly call: RoutedCall }
  | { readonly kind: 'refused'; readonly response: SipResponse };

interface Incoming {
  readonly request: SipRequest;
  readonly transaction: InviteServerTransaction;
  readonly source: SipDestination;
}

/**
 * An authenticated extension dialled a number: when it is one of its own tenant's, the
 * number's scheme routes the call (as a customer's call would go); another tenant's number
 * is not reachable this way (tenant isolation — that call would go out through a trunk).
 */
export async function routeToOwnNumber(
  deps: RoutedCallControlDeps,
  hooks: RoutedCallHooks,
  incoming: Incoming,
  dialled: { tenantId: string; number: string; caller: Omit<RoutedCaller, 'direction'> },
): Promise<RoutedStart | 'not_routed'> {
  const lookup = await deps.schemes.schemeFor(dialled.number, dialled.tenantId);
  if (lookup.kind === 'unknown_number') return 'not_routed';
  if (lookup.kind === 'no_scheme') return noScheme(incoming.request);
  const caller = { ...dialled.caller, direction: 'internal' } as const;
  return startRoutedCall(deps, hooks, incoming, lookup.route, caller);
}

/**
 * A request to no tenant's domain: a carrier delivering a call to one of the tenants'
 * numbers. It is taken only from an address of one of that tenant's trunks (carriers
 * authenticate by IP); from anywhere else, 403.
 */
export async function routeFromTrunk(
  deps: RoutedCallControlDeps,
  hooks: RoutedCallHooks,
  incoming: Incoming,
  call: { user: string | undefined; from: NameAddr; hops: number },
): Promise<RoutedStart | 'not_routed'> {
  // A provider we register with sends calls to our Contact (sip:provod@…) and names the
  // dialled number in To; others put it in the Request-URI.
  const toUri = parseNameAddr(incoming.request.headers.get('to') ?? '').uri;
  const candidates = [call.user, toUri.kind === 'sip' ? toUri.user : undefined];
  let lookup: SchemeLookup = { kind: 'unknown_number' };
  for (const candidate of candidates) {
    if (candidate === undefined || lookup.kind !== 'unknown_number') continue;
    lookup = await deps.schemes.schemeFor(candidate);
  }
  if (lookup.kind === 'unknown_number') return 'not_routed';
  const owner = lookup.kind === 'routed' ? lookup.route : lookup;
  const trunk = await deps.schemes.trunkAt(owner.tenantId, incoming.source.address, owner.trunkId);
  if (trunk === undefined) {
    const reason = 'Forbidden (not from a trunk of the number)';
    return { kind: 'refused', response: createResponse(incoming.request, 403, { reason }) };
  }
  if (lookup.kind === 'no_scheme') return noScheme(incoming.request);
  const fromUser = call.from.uri.kind === 'sip' ? call.from.uri.user : undefined;
  const caller: RoutedCaller = {
    direction: 'inbound',
    number: fromUser ?? 'anonymous',
    displayName: call.from.displayName,
    hops: call.hops - 1,
  };
  return startRoutedCall(deps, hooks, incoming, lookup.route, caller);
}

function noScheme(request: SipRequest): RoutedStart {
  const reason = 'Temporarily Unavailable (no routing scheme on the number)';
  return { kind: 'refused', response: createResponse(request, 480, { reason }) };
}

/** Who places a routed call: an authenticated extension of the tenant, or a trunk's caller. */
export interface RoutedCaller {
  readonly direction: 'internal' | 'inbound';
  readonly number: string;
  readonly displayName: string | undefined;
  /** Max-Forwards left for the INVITEs Provod sends on the caller's behalf. */
  readonly hops: number;
}

/** A routed call as the CDR keeps it. */
export interface RoutedCallSummary {
  readonly tenantId: string;
  readonly direction: 'internal' | 'inbound';
  readonly caller: string;
  /** The dialled phone number. */
  readonly number: string;
  readonly schemeId: string;
  readonly schemeVersion: number;
  readonly reason: RoutedCallEndReason;
  /** How the scheme ended the call; undefined when the caller left first or it failed. */
  readonly end: CallEnd | undefined;
  readonly path: readonly RoutingPathStep[];
  readonly answeredBy: string | undefined;
  /** When the caller was answered (by Provod's menu or a phone). */
  readonly answeredAt: Date | undefined;
  /** When a phone answered and the caller was bridged to it. */
  readonly bridgedAt: Date | undefined;
  readonly startedAt: Date;
  readonly endedAt: Date;
  readonly sipCallId: string;
  readonly media: RoutedCallMedia;
  /** Why the scheme failed, for the CDR's hang-up cause. */
  readonly failure: string | undefined;
}

/**
 * Starts a call to a phone number: Provod takes the caller's INVITE, opens its media leg
 * and walks the number's routing scheme with real call actions (routed-call-actions.ts).
 * Resolves with a refusal for the caller (503 without RTP ports, 488 for an offer Provod
 * cannot take) or undefined once the walk is under way.
 */
export async function startRoutedCall(
  deps: RoutedCallDeps,
  hooks: RoutedCallHooks,
  incoming: Incoming,
  route: SchemeRoute,
  caller: RoutedCaller,
): Promise<RoutedStart> {
  const { request, transaction, source } = incoming;
  let call: RoutedCall | undefined;
  let leg: MediaLeg;
  try {
    leg = await deps.openLeg({ onMediaTimeout: () => call?.mediaStopped() });
  } catch (error) {
    if (!isRtpSessionError(error) || error.code !== 'ports_exhausted') throw error;
    const response = createResponse(request, 503, {
      reason: 'Service Unavailable (no media ports)',
    });
    return { kind: 'refused', response };
  }
  const tenant = await deps.schemes.tenantDirectory(route.tenantId);
  if (transaction.state !== 'proceeding') {
    // The caller cancelled while the tenant's data was read: nothing rings.
    await leg.close();
    return { kind: 'refused', response: createResponse(request, 487) };
  }
  try {
    call = new RoutedCall(
      request,
      transaction,
      source,
      leg,
      deps.network,
      deps.advertisedHost,
      hooks,
      deps.clock,
      deps.maxCallDurationMs,
    );
  } catch (error) {
    await leg.close();
    if (!(error instanceof SdpParseError) && !(error instanceof SdpNegotiationError)) throw error;
    const reason = `Not Acceptable Here (${error.message})`;
    return { kind: 'refused', response: createResponse(request, 488, { reason }) };
  }
  const active = call;
  active.tenantId = route.tenantId;
  active.identity = {
    callId: active.sipCallId,
    direction: caller.direction,
    caller: caller.number,
    callee: route.number,
    startedAt: active.startedAt,
  };
  const context: RoutingContext = {
    call: { caller: caller.number, dialled: route.number, timeZone: route.timeZone },
    tenant,
    actions: routedCallActions({
      call: active,
      route,
      caller,
      hops: caller.hops,
      prompts: deps.prompts,
      voicemail: deps.voicemail,
      trunks: deps.trunks,
      location: deps.location,
      openLeg: () => deps.openLeg({ onMediaTimeout: () => active.mediaStopped() }),
      advertisedHost: deps.advertisedHost,
      clock: deps.clock,
      mediaTimeoutMs: deps.mediaTimeoutMs,
      sessionExpiresSeconds: deps.sessionExpiresSeconds,
    }),
    now: deps.clock,
    signal: active.hungUp.signal,
  };
  const walk = new RoutingWalk(route.graph, context, {
    onLateError: (error) => deps.onError(error, identify(route, active)),
  });
  let failure: string | undefined;
  // Every way out of the walk ends the call; the CDR is written once both are over, so
  // it has the path even when the caller hung up mid-scheme.
  void walk
    .run()
    .then(
      async (result) => {
        active.path = result.path;
        active.end = result.end;
        await active.untilBridgeEnds();
        // A scheme that ends without a bridge (voicemail left, a message played) hangs up.
        if (active.reason === undefined) active.hangUp('scheme_ended');
      },
      (error: unknown) => {
        failure = error instanceof Error ? error.message : String(error);
        deps.onError(error, identify(route, active));
        active.hangUp('failed', 500);
      },
    )
    .then(() => active.settled())
    .finally(() => {
      deps.onEnded(summaryOf(active, route, caller, deps.clock(), failure));
    });
  return { kind: 'started', call: active };
}

function identify(route: SchemeRoute, call: RoutedCall): { tenantId: string; sipCallId: string } {
  return { tenantId: route.tenantId, sipCallId: call.sipCallId };
}

function summaryOf(
  call: RoutedCall,
  route: SchemeRoute,
  caller: RoutedCaller,
  endedAt: Date,
  failure: string | undefined,
): RoutedCallSummary {
  return {
    tenantId: route.tenantId,
    direction: caller.direction,
    caller: caller.number,
    number: route.number,
    schemeId: route.schemeId,
    schemeVersion: route.schemeVersion,
    reason: call.reason ?? 'scheme_ended',
    // A caller who hangs up while leaving a message has still left it.
    end:
      call.voicemailLeft !== undefined &&
      (call.end === undefined || call.end.kind === 'caller_hung_up')
        ? { kind: 'voicemail', mailbox: call.voicemailLeft, recorded: true }
        : call.end,
    path: call.path,
    answeredBy: call.answeredBy,
    answeredAt: call.answeredAt,
    bridgedAt: call.bridgedAt,
    startedAt: call.startedAt,
    endedAt,
    sipCallId: call.sipCallId,
    media: call.media,
    failure,
  };
}
