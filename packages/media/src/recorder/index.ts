// Recording what call legs' phones say, from taps on the legs: voicemail messages and
// whole calls (stereo).
export {
  VoicemailRecorder,
  type VoicemailLimits,
  type VoicemailMessage,
  type VoicemailStop,
} from './voicemail-recorder.ts';
export { tapLegAudio } from './leg-audio.ts';
export { CallRecorder, type CallRecording, type RecordedSide } from './call-recorder.ts';
