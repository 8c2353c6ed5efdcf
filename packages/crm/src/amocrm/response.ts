import { AmoCrmError, type AmoFieldError } from './errors.ts';
import type { HttpResponse } from '../http/transport.ts';

/**
 * amoCRM's answers as the error reference describes them
 * (https://www.amocrm.ru/developers/content/crm_platform/error-codes,
 * https://kommo.com/developers/content/api_v4/errors): JSON (HAL) on success, 204 with no
 * body when a list is empty or an entity does not exist, RFC 7807 problem+json on errors
 * with `validation-errors[{request_id, errors[{code, path, detail}]}]` on a 400. The
 * gateway in front may answer 429/403/5xx with an nginx HTML page instead (CRM-FACTS §2).
 */
export type AmoAnswer =
  | { readonly kind: 'ok'; readonly body: unknown }
  | { readonly kind: 'empty' }
  | { readonly kind: 'unauthorized' };

const jsonTypes = /^application\/(?:[\w.+-]+\+)?json\b/i;

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    // Not JSON: the caller decides what that means from the status (an HTML page from the
    // gateway is expected); the body excerpt goes to the trace.
    if (error instanceof SyntaxError) return { ok: false };
    throw error;
  }
}

/** RFC 9110 §10.2.3: delay-seconds or an HTTP-date. */
export function parseRetryAfter(value: string | null, nowMs: number): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

function readFieldErrors(body: unknown): AmoFieldError[] {
  if (typeof body !== 'object' || body === null) return [];
  const list = (body as Record<string, unknown>)['validation-errors'];
  if (!Array.isArray(list)) return [];
  const out: AmoFieldError[] = [];
  for (const item of list as unknown[]) {
    if (typeof item !== 'object' || item === null) continue;
    const { request_id: requestId, errors } = item as Record<string, unknown>;
    if (!Array.isArray(errors)) continue;
    for (const error of errors as unknown[]) {
      if (typeof error !== 'object' || error === null) continue;
      const { code, path, detail } = error as Record<string, unknown>;
      out.push({
        requestId:
          typeof requestId === 'string'
            ? requestId
            : typeof requestId === 'number'
              ? String(requestId)
              : '',
        code: typeof code === 'string' ? code : '',
        path: typeof path === 'string' ? path : '',
        detail: typeof detail === 'string' ? detail : '',
      });
    }
  }
  return out;
}

function problemDetail(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const { detail, title, hint } = body as Record<string, unknown>;
  const text = [title, detail, hint].filter((part) => typeof part === 'string' && part !== '');
  return text.length === 0 ? undefined : text.join(': ');
}

export interface AnswerContext {
  readonly method: string;
  readonly path: string;
  readonly nowMs: number;
}

/** Turns an HTTP answer into a body, "nothing", "unauthorized", or throws a typed error. */
export function readAnswer(response: HttpResponse, ctx: AnswerContext): AmoAnswer {
  const { status } = response;
  const where = `${ctx.method} ${ctx.path}`;
  const isJson = jsonTypes.test(response.contentType);
  const parsed = response.text === '' ? undefined : parseJson(response.text);
  const body = parsed?.ok === true ? parsed.value : undefined;
  const details = {
    status,
    method: ctx.method,
    path: ctx.path,
    retryAfterMs: parseRetryAfter(response.retryAfter, ctx.nowMs),
  };
  if (status >= 200 && status < 300) {
    if (status === 204 || response.text.trim() === '') return { kind: 'empty' };
    if (!isJson || parsed?.ok !== true)
      throw new AmoCrmError('bad_response', `${where}: ${status} without a JSON body`, details);
    return { kind: 'ok', body };
  }
  if (status === 401) return { kind: 'unauthorized' };
  if (status === 429)
    throw new AmoCrmError('rate_limited', `${where}: 429 Too Many Requests`, details);
  // A 403 is how amoCRM blocks an account's API after repeated 429s (CRM-FACTS §2); it may
  // be HTML or problem+json, so it is not told apart from a rights problem by its body.
  if (status === 403)
    throw new AmoCrmError('account_blocked', `${where}: 403 (API blocked?)`, details);
  if (status >= 500) throw new AmoCrmError('server_error', `${where}: ${status}`, details);
  const validationErrors = readFieldErrors(body);
  const detail = problemDetail(body) ?? `${status}`;
  if (status === 400 && validationErrors.length > 0) {
    const paths = validationErrors.map((error) => `${error.path} (${error.code})`).join(', ');
    throw new AmoCrmError('validation', `${where}: ${detail}: ${paths}`, {
      ...details,
      validationErrors,
    });
  }
  throw new AmoCrmError('rejected', `${where}: ${detail}`, details);
}
