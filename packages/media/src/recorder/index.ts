// Recording what a call leg's phone says: voicemail messages, from a tap on the leg.
export {
  VoicemailRecorder,
  type VoicemailLimits,
  type VoicemailMessage,
  type VoicemailStop,
} from './voicemail-recorder.ts';
export { tapLegAudio } from './leg-audio.ts';
