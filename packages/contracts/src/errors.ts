/**
 * The error catalogue: every code Provod returns, with its HTTP status, in one place.
 * The HTTP layer maps codes to statuses from here; `docs/errors.md` documents each code
 * and a test keeps the two in sync (the way fastify keeps lib/errors.js and its docs).
 */
export const errorCatalogue = {
  validation_failed: { status: 400, summary: 'A field is missing, unknown or of the wrong type' },
  invalid_routing_scheme: { status: 400, summary: 'The routing-scheme graph is not valid' },
  invalid_cursor: { status: 400, summary: 'The pagination cursor is malformed' },
  unauthenticated: { status: 401, summary: 'No valid session cookie or API key' },
  invalid_credentials: { status: 401, summary: 'Wrong e-mail or password' },
  csrf_token_invalid: { status: 403, summary: 'A cookie-authenticated write lacks the CSRF token' },
  forbidden: { status: 403, summary: "The caller's role does not allow this action" },
  not_found: { status: 404, summary: 'No such object (or it belongs to another tenant)' },
  conflict: { status: 409, summary: 'The object clashes with an existing one' },
  tenant_suspended: { status: 403, summary: 'The tenant is suspended or closed' },
  payload_too_large: { status: 413, summary: 'The request body is larger than allowed' },
  unsupported_media_type: { status: 415, summary: 'The body is not in a format this route takes' },
  rate_limited: { status: 429, summary: 'Too many requests; retry later' },
  internal: { status: 500, summary: 'An unexpected server error' },
  crm_error: { status: 502, summary: 'The CRM refused the request or could not be reached' },
  unavailable: { status: 503, summary: 'A dependency (database) is not ready' },
} as const satisfies Record<string, { status: number; summary: string }>;

export type ErrorCode = keyof typeof errorCatalogue;

export const errorCodes = Object.keys(errorCatalogue) as ErrorCode[];

export interface ErrorDetail {
  path?: string;
  message: string;
  [key: string]: unknown;
}

export class ProvodError extends Error {
  override readonly name = 'ProvodError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: ErrorDetail[],
  ) {
    super(message);
  }

  get status(): number {
    return errorCatalogue[this.code].status;
  }
}

export function isProvodError(error: unknown): error is ProvodError {
  return error instanceof ProvodError;
}
