/**
 * Why a WAV file was refused. Callers (the prompt upload route) branch on `code` to tell
 * the user what is wrong with the file, never on the message text.
 */
export const wavErrorCatalogue = {
  not_riff: 'The file does not start with a RIFF header',
  not_wave: 'The RIFF form type is not WAVE',
  truncated_header: 'The file ends inside the RIFF header or a chunk header',
  truncated_chunk: 'A chunk is longer than the rest of the file',
  missing_fmt: 'There is no fmt chunk before the data chunk',
  missing_data: 'There is no data chunk',
  malformed_fmt: 'The fmt chunk is too short or its fields contradict each other',
  unsupported_encoding: 'The encoding is not 16-bit PCM, µ-law or A-law',
  unsupported_channels: 'The file is neither mono nor stereo',
  unsupported_sample_rate: 'The sample rate is not one we resample from',
  truncated_data: 'The data chunk is shorter than it says or ends inside a sample frame',
} as const satisfies Record<string, string>;

export type WavErrorCode = keyof typeof wavErrorCatalogue;

export class WavError extends Error {
  override readonly name = 'WavError';
  constructor(
    readonly code: WavErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export function isWavError(error: unknown): error is WavError {
  return error instanceof WavError;
}
