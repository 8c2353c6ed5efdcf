/**
 * What can go wrong talking to amoCRM, as values with codes. Whether an error is worth
 * retrying is a property of its code (one table, exhaustive by construction), never of
 * its message text. The job queue reads `retryable` and `retryAfterMs`.
 */
export const amoErrorCatalogue = {
  /** 429: above the 7 requests/s limit (CRM-FACTS §2), often as an nginx HTML page. */
  rate_limited: { retryable: true, defaultRetryMs: 2_000 },
  /** 403 as the gateway's HTML page: the account's API is blocked after repeated 429s. */
  account_blocked: { retryable: true, defaultRetryMs: 15 * 60_000 },
  /** 5xx: amoCRM or its gateway failed; the request may or may not have been applied. */
  server_error: { retryable: true, defaultRetryMs: 5_000 },
  /** The connection failed before an answer (DNS, refused, reset). */
  network: { retryable: true, defaultRetryMs: 5_000 },
  /** No answer in time; the request may or may not have been applied. */
  timeout: { retryable: true, defaultRetryMs: 5_000 },
  /** A 2xx that is not the JSON amoCRM documents (an HTML page from a proxy). */
  bad_response: { retryable: true, defaultRetryMs: 5_000 },
  /** 400 with `validation-errors`: the request itself is wrong; sending it again fails again. */
  validation: { retryable: false, defaultRetryMs: 0 },
  /** Any other 4xx (a problem+json 403 for missing rights, 404 of a wrong path, …). */
  rejected: { retryable: false, defaultRetryMs: 0 },
  /** 401 after one refresh, or no usable token: the integration must be installed again. */
  unauthorized: { retryable: false, defaultRetryMs: 0 },
  /** The token endpoint refused the code or refresh token (revoked, expired, wrong secret). */
  oauth_refused: { retryable: false, defaultRetryMs: 0 },
  /** The TokenStore failed to save a new pair; the pair is not used (CRM-FACTS §1). */
  token_store_failed: { retryable: true, defaultRetryMs: 5_000 },
} as const satisfies Record<string, { retryable: boolean; defaultRetryMs: number }>;

export type AmoErrorCode = keyof typeof amoErrorCatalogue;

/** One field error of amoCRM's `validation-errors` list (error reference page). */
export interface AmoFieldError {
  readonly requestId: string;
  readonly code: string;
  readonly path: string;
  readonly detail: string;
}

export interface AmoErrorDetails {
  readonly status?: number;
  readonly method?: string;
  readonly path?: string;
  /** From `Retry-After` when the answer had one. */
  readonly retryAfterMs?: number;
  readonly validationErrors?: readonly AmoFieldError[];
  readonly cause?: unknown;
}

export class AmoCrmError extends Error {
  override readonly name = 'AmoCrmError';
  readonly status: number | undefined;
  readonly validationErrors: readonly AmoFieldError[];
  /** How long to wait before trying again: the server's Retry-After or the code's default. */
  readonly retryAfterMs: number;

  constructor(
    readonly code: AmoErrorCode,
    message: string,
    readonly details: AmoErrorDetails = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.status = details.status;
    this.validationErrors = details.validationErrors ?? [];
    this.retryAfterMs = details.retryAfterMs ?? amoErrorCatalogue[code].defaultRetryMs;
  }

  get retryable(): boolean {
    return amoErrorCatalogue[this.code].retryable;
  }

  /** The `path`s of the validation errors, e.g. `custom_fields_values.0.field_id`. */
  get paths(): string[] {
    return this.validationErrors.map((error) => error.path);
  }
}

export function isAmoCrmError(error: unknown): error is AmoCrmError {
  return error instanceof AmoCrmError;
}

/**
 * The delay before retry number `attempt` (1-based): the error's hint, doubled per attempt
 * and capped, so a CRM that stays down is asked less and less often.
 */
export function retryDelayMs(error: AmoCrmError, attempt: number, capMs = 10 * 60_000): number {
  const factor = 2 ** Math.max(0, Math.min(attempt - 1, 16));
  return Math.min(capMs, error.retryAfterMs * factor);
}
