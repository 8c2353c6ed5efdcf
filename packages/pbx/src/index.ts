// The switch: registrar and location service first; call control, routing-scheme engine,
// features and events come with the PBX issue.
export * from './registrar/location-service.ts';
export * from './registrar/registrar.ts';
export * from './auth/request-authenticator.ts';
export * from './calls/call-control.ts';
export { type SipNetwork } from './calls/sip-network.ts';
export { type CallEndReason } from './calls/bridged-call.ts';
export {
  passThroughMediaAnchor,
  type CallMedia,
  type CallMediaStats,
  type MediaAnchor,
} from './calls/media-anchor.ts';
export {
  createRelayMediaAnchor,
  type RelayMediaAnchorOptions,
} from './calls/relay-media-anchor.ts';
export type * from './routing/routing-context.ts';
export {
  RoutingWalk,
  maxNodeEntries,
  type RoutingPathStep,
  type RoutingResult,
} from './routing/routing-engine.ts';
export { describeEnd, type CallEnd } from './routing/node-handler.ts';
export { localTimeIn, type LocalTime } from './routing/local-time.ts';
export { simulateScheme, type SchemeSimulation } from './routing/simulator/simulate-scheme.ts';
export type { SimulatedTenant } from './routing/simulator/simulated-call.ts';
export type * from './calls/scheme-routes.ts';
export {
  startRoutedCall,
  type RoutedCallControlDeps,
  type RoutedCallDeps,
  type RoutedCaller,
  type RoutedCallSummary,
} from './routed/routed-call-control.ts';
export { type RoutedCallEndReason, type RoutedCallMedia } from './routed/routed-call.ts';
export { isRoutedCallError, RoutedCallError } from './routed/routed-call-actions.ts';
export type * from './calls/trunk-routes.ts';
export {
  TrunkRegistration,
  type RegisteringTrunk,
  type TrunkRegistrationState,
} from './trunks/trunk-registration.ts';
export type * from './calls/call-events.ts';
export type { CallRecordings, RecordedCall, RecordingTarget } from './calls/call-recording.ts';
