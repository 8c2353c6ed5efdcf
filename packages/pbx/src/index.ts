// The switch: registrar and location service first; call control, routing-scheme engine,
// features and events come with the PBX issue.
export * from './registrar/location-service.ts';
export * from './registrar/registrar.ts';
export * from './auth/request-authenticator.ts';
export * from './calls/call-control.ts';
export { type SipNetwork } from './calls/sip-network.ts';
export { type CallEndReason } from './calls/bridged-call.ts';
