export * from './digits.ts';
export * from './dtmf-error.ts';
export * from './goertzel.ts';
export * from './inband-detector.ts';
export * from './rfc4733-receiver.ts';
export * from './rfc4733-sender.ts';
export * from './sip-info-dtmf.ts';
export * from './telephone-event.ts';
