// The public surface of @provod/media: RTP/RTCP (RFC 3550) by layer — packets and
// receive statistics (rtp/), control packets and reports (rtcp/), sessions over UDP with
// latching, RTCP timing, media timeout and per-stream statistics (session/).
export * from './rtp/index.ts';
export * from './rtcp/index.ts';
export * from './session/index.ts';
// Codecs (G.711 PCMU/PCMA, transcoding, registry), DTMF (RFC 4733, SIP INFO, in-band
// Goertzel detection), WAV files, resampling and prompts.
export * from './codec/index.ts';
export * from './dtmf/index.ts';
export * from './audio/index.ts';
// Media legs, the relay joining two of them and the bridge built on it; prompts played
// into a leg.
export * from './leg/index.ts';
export * from './bridge/index.ts';
export * from './player/index.ts';
export * from './recorder/index.ts';
