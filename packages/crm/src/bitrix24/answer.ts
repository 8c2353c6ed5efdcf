import type { HttpResponse } from '../http/transport.ts';
import { Bitrix24Error, type BitrixErrorCode } from './errors.ts';

/** A method's answer: `result`, and for lists `total` and `next` (the next page's start). */
export interface BitrixResult {
  readonly result: unknown;
  readonly total: number | null;
  readonly next: number | null;
}

export type BitrixAnswer =
  | { readonly kind: 'ok'; readonly body: BitrixResult }
  /** The access token expired or is unknown: refresh and ask again. */
  | { readonly kind: 'unauthorized'; readonly portalCode: string };

function parse(text: string): Record<string, unknown> | undefined {
  try {
    const body: unknown = JSON.parse(text);
    return typeof body === 'object' && body !== null && !Array.isArray(body)
      ? (body as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function codeFor(status: number, portalCode: string): BitrixErrorCode {
  if (portalCode === 'QUERY_LIMIT_EXCEEDED') return 'rate_limited';
  if (portalCode === 'OPERATION_TIME_LIMIT') return 'operation_limited';
  if (portalCode === 'NO_AUTH_FOUND' || portalCode === 'INVALID_CREDENTIALS') return 'unauthorized';
  if (status >= 500) return 'server_error';
  return 'rejected';
}

const tokenErrors = new Set(['expired_token', 'invalid_token']);

/**
 * Reads one answer of the REST API. Errors are `{"error","error_description"}` with the
 * HTTP status of error-codes.md (503 QUERY_LIMIT_EXCEEDED, 429 OPERATION_TIME_LIMIT, 401
 * expired_token, 403 WRONG_AUTH_TYPE, 400 for bad arguments — the CRM methods with an
 * empty `error`); a gateway may answer a 5xx or 503 with an HTML page instead.
 */
export function readBitrixAnswer(response: HttpResponse, method: string): BitrixAnswer {
  const body = parse(response.text);
  const status = response.status;
  const portalCode = typeof body?.error === 'string' ? body.error : undefined;
  if (portalCode !== undefined || status >= 400) {
    const code = portalCode ?? '';
    if (tokenErrors.has(code) || (status === 401 && portalCode === undefined))
      return { kind: 'unauthorized', portalCode: code || 'HTTP 401' };
    const description =
      typeof body?.error_description === 'string' ? body.error_description : undefined;
    const words = [code, description].filter((part) => part !== undefined && part !== '');
    const kind = codeFor(status, code);
    throw new Bitrix24Error(
      kind,
      `${method}: ${words.length > 0 ? words.join(': ') : `HTTP ${status}`}`,
      {
        status,
        method,
        ...(portalCode === undefined ? {} : { portalCode }),
      },
    );
  }
  if (body === undefined || !('result' in body))
    throw new Bitrix24Error('bad_response', `${method}: the answer is not Bitrix24's JSON`, {
      status,
      method,
    });
  const count = (value: unknown): number | null => (typeof value === 'number' ? value : null);
  return {
    kind: 'ok',
    body: { result: body.result, total: count(body.total), next: count(body.next) },
  };
}
