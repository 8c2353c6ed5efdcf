import { describe, expect, it } from 'vitest';
import { AmoCrmError, retryDelayMs } from './errors.ts';
import { parseRetryAfter, readAnswer } from './response.ts';
import type { HttpResponse } from '../http/transport.ts';

const ctx = { method: 'POST', path: '/api/v4/calls', nowMs: Date.UTC(2024, 0, 1) };
const nginx429 =
  '<html>\r\n<head><title>429 Too Many Requests</title></head>\r\n<body>\r\n<center><h1>429 Too Many Requests</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';

function answer(
  status: number,
  text: string,
  contentType = 'application/hal+json',
  retryAfter: string | null = null,
): HttpResponse {
  return { status, text, contentType, retryAfter };
}

function errorOf(response: HttpResponse): AmoCrmError {
  try {
    readAnswer(response, ctx);
  } catch (error) {
    if (error instanceof AmoCrmError) return error;
    throw error;
  }
  throw new Error('no error was thrown');
}

describe('readAnswer', () => {
  it('reads JSON bodies, and 204 as empty', () => {
    expect(readAnswer(answer(200, '{"_embedded":{}}'), ctx)).toEqual({
      kind: 'ok',
      body: { _embedded: {} },
    });
    expect(readAnswer(answer(204, '', ''), ctx)).toEqual({ kind: 'empty' });
    expect(readAnswer(answer(401, '{"status":401}', 'application/problem+json'), ctx)).toEqual({
      kind: 'unauthorized',
    });
  });

  it('a gateway HTML page on 429 is a retryable rate_limit with the Retry-After hint', () => {
    const error = errorOf(answer(429, nginx429, 'text/html', '3'));
    expect(error.code).toBe('rate_limited');
    expect(error.retryable).toBe(true);
    expect(error.retryAfterMs).toBe(3000);
  });

  it('5xx and 403 are retryable; 403 waits long (the account may be blocked)', () => {
    expect(errorOf(answer(502, '<html>bad gateway</html>', 'text/html')).code).toBe('server_error');
    const blocked = errorOf(answer(403, '<html>403</html>', 'text/html'));
    expect(blocked.code).toBe('account_blocked');
    expect(blocked.retryAfterMs).toBeGreaterThanOrEqual(60_000);
  });

  it('a 200 that is an HTML page is a bad_response, not a success', () => {
    expect(errorOf(answer(200, '<html>captive portal</html>', 'text/html')).code).toBe(
      'bad_response',
    );
    expect(errorOf(answer(200, '{not json', 'application/json')).code).toBe('bad_response');
  });

  it('400 validation-errors become a permanent error with every path', () => {
    // The shape of amoCRM's error reference ("Ошибки при валидации данных").
    const body = {
      'validation-errors': [
        {
          request_id: '0',
          errors: [
            {
              code: 'NotSupportedChoice',
              path: 'custom_fields_values.0.field_id',
              detail: 'The value you selected is not a valid choice.',
            },
            { code: 'FieldMissing', path: 'phone', detail: 'This field is missing.' },
          ],
        },
      ],
      title: 'Bad Request',
      type: 'https://httpstatus.es/400',
      status: 400,
      detail: 'Request validation failed',
    };
    const error = errorOf(answer(400, JSON.stringify(body), 'application/problem+json'));
    expect(error.code).toBe('validation');
    expect(error.retryable).toBe(false);
    expect(error.paths).toEqual(['custom_fields_values.0.field_id', 'phone']);
    expect(error.validationErrors[0]?.code).toBe('NotSupportedChoice');
  });

  it('other 4xx are permanent rejections', () => {
    const error = errorOf(
      answer(
        404,
        '{"title":"Not Found","status":404,"detail":"No route"}',
        'application/problem+json',
      ),
    );
    expect(error.code).toBe('rejected');
    expect(error.retryable).toBe(false);
    expect(error.message).toContain('No route');
  });
});

describe('retry hints', () => {
  it('Retry-After in seconds or as an HTTP date', () => {
    expect(parseRetryAfter('120', 0)).toBe(120_000);
    expect(parseRetryAfter('Mon, 01 Jan 2024 00:00:30 GMT', Date.UTC(2024, 0, 1))).toBe(30_000);
    expect(parseRetryAfter('soon', 0)).toBeUndefined();
    expect(parseRetryAfter(null, 0)).toBeUndefined();
  });

  it('the delay doubles per attempt up to a cap', () => {
    const error = new AmoCrmError('server_error', 'x');
    expect(retryDelayMs(error, 1)).toBe(5_000);
    expect(retryDelayMs(error, 3)).toBe(20_000);
    expect(retryDelayMs(error, 30)).toBe(600_000);
  });
});
