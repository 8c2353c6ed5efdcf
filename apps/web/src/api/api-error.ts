import { errorCodes, errorResponseSchema, type ErrorCode } from '@provod/contracts';

/**
 * What went wrong with an API call, as the forms show it. Server codes come from the error
 * catalogue (packages/contracts/src/errors.ts); two codes are the client's own: the
 * request never got an answer, or the answer is not what the contract says.
 */
export type ApiErrorCode = ErrorCode | 'network_error' | 'unexpected_response';

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    /** HTTP status; 0 when there was no response. */
    readonly status: number,
    /** Field path in the form's model (`number`, `forwarding.busy.number`) → message. */
    readonly fieldErrors: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

/**
 * Validation details name where the bad value was (`body.forwarding.busy.number`, see
 * apps/server/src/http/error-handler.ts); a form knows its fields without the `body.` part.
 */
const requestParts = ['body', 'querystring', 'params', 'headers'];

export function fieldPath(detailPath: string): string {
  const [first, ...rest] = detailPath.split('.');
  return first !== undefined && requestParts.includes(first) && rest.length > 0
    ? rest.join('.')
    : detailPath;
}

/** An error response (`{ error: { code, message, details? } }`) as an ApiError. */
export function apiErrorFromResponse(status: number, body: unknown): ApiError {
  const parsed = errorResponseSchema.safeParse(body);
  if (!parsed.success) {
    return new ApiError('unexpected_response', `HTTP ${status} without an error body`, status);
  }
  const { code, message, details } = parsed.data.error;
  const fieldErrors: Record<string, string> = {};
  for (const detail of details ?? []) {
    if (detail.path === undefined || detail.path === '') continue;
    const path = fieldPath(detail.path);
    // The first message per field is the one to show; later ones repeat the same fault.
    fieldErrors[path] ??= detail.message;
  }
  return new ApiError(knownCode(code), message, status, fieldErrors);
}

/** A code this build does not know (a newer server) is reported as unexpected, not guessed. */
function knownCode(code: string): ApiErrorCode {
  return errorCodes.find((known) => known === code) ?? 'unexpected_response';
}
