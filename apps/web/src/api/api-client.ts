import type { z } from 'zod';
import { ApiError, apiErrorFromResponse } from './api-error.ts';

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export interface ApiClientOptions {
  /** The fetch to use; tests pass their own. */
  fetch: typeof fetch;
  /** Prefix of every path, e.g. `/api/v1`. */
  baseUrl: string;
  /** The session's CSRF token, or null before login. */
  csrfToken: () => string | null;
}

export interface ApiRequest<T extends z.ZodType> {
  method: HttpMethod;
  path: string;
  /** What the contract says the answer is; the answer is checked against it. */
  response: T;
  body?: unknown;
  query?: Record<string, string | number | undefined>;
}

export type ApiClient = <T extends z.ZodType>(request: ApiRequest<T>) => Promise<z.output<T>>;

/**
 * One typed call to the REST API (docs/api.md). The session cookie is HTTP-only and goes
 * by itself (same origin); writes echo the session's CSRF token in X-CSRF-Token, the
 * double-submit check of apps/server/src/http/authenticate.ts. Every failure is an
 * ApiError: the server's own `{ error }` body, no answer at all, or an answer that does
 * not match the contract.
 */
export function createApiClient(options: ApiClientOptions): ApiClient {
  return async ({ method, path, response, body, query }) => {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const csrfToken = options.csrfToken();
    if (method !== 'GET' && csrfToken !== null) headers['x-csrf-token'] = csrfToken;

    let answer: Response;
    try {
      answer = await options.fetch(`${options.baseUrl}${path}${queryString(query)}`, {
        method,
        headers,
        credentials: 'same-origin',
        ...(body !== undefined && { body: JSON.stringify(body) }),
      });
    } catch (error) {
      // fetch rejects only when no HTTP answer came (offline, refused, aborted).
      throw new ApiError('network_error', describe(error), 0);
    }

    const payload = await readJson(answer);
    if (!answer.ok) throw apiErrorFromResponse(answer.status, payload);
    const parsed = response.safeParse(answer.status === 204 ? null : payload);
    if (!parsed.success) {
      throw new ApiError(
        'unexpected_response',
        `${method} ${path}: the answer does not match the contract`,
        answer.status,
      );
    }
    return parsed.data;
  };
}

function queryString(query: ApiRequest<z.ZodType>['query']): string {
  if (query === undefined) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined) params.set(key, String(value));
  }
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

async function readJson(answer: Response): Promise<unknown> {
  const text = await answer.text();
  if (text === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    if (error instanceof SyntaxError) return text;
    throw error;
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
