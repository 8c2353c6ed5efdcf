/**
 * Bitrix24 REST errors: `{"error","error_description"}` with an HTTP status.
 * Follows error-codes.md and _includes/system-errors.md of bitrix24/b24restdocs; per-method
 * codes come from each method's page and are raised where the method is emulated.
 */
export class B24Error extends Error {
  override readonly name = 'B24Error';
  constructor(
    readonly status: number,
    readonly code: string,
    readonly description: string,
  ) {
    super(`${code}: ${description}`);
  }

  toBody(): { error: string; error_description: string } {
    return { error: this.code, error_description: this.description };
  }
}

/** The system errors any method may return (_includes/system-errors.md). */
export const systemErrors = {
  noAuthFound: () => new B24Error(401, 'NO_AUTH_FOUND', 'Wrong authorization data'),
  expiredToken: () => new B24Error(401, 'expired_token', 'The access token provided has expired.'),
  // Not in system-errors.md; the wording is Bitrix24's OAuth check (custom-auth-provider.md).
  invalidToken: () => new B24Error(401, 'invalid_token', 'The access token provided is invalid.'),
  insufficientScope: () =>
    new B24Error(
      403,
      'insufficient_scope',
      'The request requires higher privileges than provided by the webhook token',
    ),
  // telephony-external-line-get.md: HTTP 403 for a call outside an application's context.
  wrongAuthType: () =>
    new B24Error(403, 'WRONG_AUTH_TYPE', 'Current authorization type is denied for this method'),
  methodNotFound: () => new B24Error(404, 'ERROR_METHOD_NOT_FOUND', 'Method not found!'),
  queryLimitExceeded: () => new B24Error(503, 'QUERY_LIMIT_EXCEEDED', 'Too many requests'),
  internal: () => new B24Error(500, 'INTERNAL_SERVER_ERROR', 'Internal server error'),
  batchMethodNotAllowed: () =>
    new B24Error(405, 'ERROR_BATCH_METHOD_NOT_ALLOWED', 'Method is not allowed for batch usage'),
  batchLengthExceeded: () =>
    new B24Error(400, 'ERROR_BATCH_LENGTH_EXCEEDED', 'Max batch length exceeded'),
} as const;

/** `ERROR_CORE` with HTTP 400: what most telephony and task pages list for bad arguments. */
export function coreError(description: string): B24Error {
  return new B24Error(400, 'ERROR_CORE', description);
}

/** CRM pages show argument errors with an empty `error` code and HTTP 400. */
export function crmArgumentError(description: string): B24Error {
  return new B24Error(400, '', description);
}
