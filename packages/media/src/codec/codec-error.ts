/** Codec set-up failures; callers branch on `code`, never on the message text. */
export const codecErrorCatalogue = {
  duplicate_codec: 'A codec with this encoding name and clock rate is already registered',
  unsupported_transcoding: 'No transcoding path exists between the two codecs',
} as const satisfies Record<string, string>;

export type CodecErrorCode = keyof typeof codecErrorCatalogue;

export class CodecError extends Error {
  override readonly name = 'CodecError';
  constructor(
    readonly code: CodecErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export function isCodecError(error: unknown): error is CodecError {
  return error instanceof CodecError;
}
