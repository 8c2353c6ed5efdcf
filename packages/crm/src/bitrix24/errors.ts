/**
 * What can go wrong talking to a Bitrix24 portal, as values with codes; whether to retry
 * is a property of the code, never of the message. Bitrix24 answers errors as
 * `{"error","error_description"}` (settings/how-to-call-rest-api/error-codes — b24restdocs);
 * the portal's own code is kept in `portalCode` for the trace.
 */
export const bitrixErrorCatalogue = {
  /** 503 QUERY_LIMIT_EXCEEDED: the portal's leaky bucket is full (CRM-FACTS §9). */
  rate_limited: { retryable: true, defaultRetryMs: 2_000 },
  /** 429 OPERATION_TIME_LIMIT: the method used up its time budget for 10 minutes. */
  operation_limited: { retryable: true, defaultRetryMs: 60_000 },
  /** 5xx: the portal failed; the request may or may not have been applied. */
  server_error: { retryable: true, defaultRetryMs: 5_000 },
  network: { retryable: true, defaultRetryMs: 5_000 },
  /** No answer in time; the request may or may not have been applied. */
  timeout: { retryable: true, defaultRetryMs: 5_000 },
  /** A 2xx that is not the JSON Bitrix24 documents (a proxy's HTML page). */
  bad_response: { retryable: true, defaultRetryMs: 5_000 },
  /** A 4xx the portal will answer again the same way: a wrong field, a missing right, … */
  rejected: { retryable: false, defaultRetryMs: 0 },
  /** 401 after one refresh, or no usable token: the application must be installed again. */
  unauthorized: { retryable: false, defaultRetryMs: 0 },
  /** The authorization server refused the code or refresh token. */
  oauth_refused: { retryable: false, defaultRetryMs: 0 },
  /** The TokenStore failed to save a new pair; the pair is not used. */
  token_store_failed: { retryable: true, defaultRetryMs: 5_000 },
} as const satisfies Record<string, { retryable: boolean; defaultRetryMs: number }>;

export type BitrixErrorCode = keyof typeof bitrixErrorCatalogue;

export interface BitrixErrorDetails {
  readonly status?: number;
  readonly method?: string;
  /** The portal's `error` field, e.g. ERROR_CORE, QUERY_LIMIT_EXCEEDED, expired_token. */
  readonly portalCode?: string;
  readonly cause?: unknown;
}

export class Bitrix24Error extends Error {
  override readonly name = 'Bitrix24Error';
  readonly status: number | undefined;
  readonly portalCode: string | undefined;
  readonly retryAfterMs: number;

  constructor(
    readonly code: BitrixErrorCode,
    message: string,
    details: BitrixErrorDetails = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.status = details.status;
    this.portalCode = details.portalCode;
    this.retryAfterMs = bitrixErrorCatalogue[code].defaultRetryMs;
  }

  get retryable(): boolean {
    return bitrixErrorCatalogue[this.code].retryable;
  }
}
