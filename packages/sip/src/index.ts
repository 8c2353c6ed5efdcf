// The public surface of @provod/sip: RFC 3261 by layer (message → transport →
// transaction → dialog → usage), SDP, digest authentication.
export * from './message/index.ts';
export * from './transport/index.ts';
export * from './transaction/index.ts';
export * from './dialog/index.ts';
export * from './auth/index.ts';
export * from './sdp/index.ts';
