// Digest authentication for SIP (RFC 3261 §22, RFC 7616, RFC 8760) and brute-force
// protection. Works on header values and plain data; the registrar wires it to messages.
export * from './digest-error.ts';
export * from './auth-params.ts';
export * from './digest-algorithm.ts';
export * from './digest-challenge.ts';
export * from './digest-credentials.ts';
export * from './digest-verify.ts';
export * from './nonce.ts';
export * from './nonce-count.ts';
export * from './source-address.ts';
export * from './failure-guard.ts';
export * from './request-rate-guard.ts';
export * from './digest-client.ts';
