// SDP (RFC 8866) and the offer/answer model (RFC 3264): the public surface of sip/sdp.
export * from './types.ts';
export * from './errors.ts';
export { parseSdp } from './parse.ts';
export { serializeSdp } from './serialize.ts';
export { parseFmtpParameters, findAttributeValue, hasFlag } from './attributes.ts';
export * from './codecs.ts';
export * from './direction.ts';
export * from './offer-answer.ts';
export * from './negotiated.ts';
