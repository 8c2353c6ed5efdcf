import { describe, expect, it } from 'vitest';
import { apiErrorFromResponse, fieldPath } from './api-error.ts';

describe('fieldPath', () => {
  it('drops the request part the server names first', () => {
    expect(fieldPath('body.number')).toBe('number');
    expect(fieldPath('body.forwarding.busy.number')).toBe('forwarding.busy.number');
    expect(fieldPath('querystring.from')).toBe('from');
  });

  it('keeps paths that are already a field, and a bare request part', () => {
    expect(fieldPath('number')).toBe('number');
    expect(fieldPath('slug')).toBe('slug');
    expect(fieldPath('body')).toBe('body');
  });
});

describe('apiErrorFromResponse', () => {
  // Bodies as apps/server/src/http/error-handler.ts writes them.
  it('maps a duplicate extension (409 conflict) to an error on the number field', () => {
    const error = apiErrorFromResponse(409, {
      error: {
        code: 'conflict',
        message: 'extension 201 already exists',
        details: [{ path: 'number', message: 'already taken' }],
      },
    });
    expect(error.code).toBe('conflict');
    expect(error.status).toBe(409);
    expect(error.message).toBe('extension 201 already exists');
    expect(error.fieldErrors).toEqual({ number: 'already taken' });
  });

  it('maps schema validation details to form fields, first message per field', () => {
    const error = apiErrorFromResponse(400, {
      error: {
        code: 'validation_failed',
        message: 'body.number: expected 2 to 6 digits; body.number: too long',
        details: [
          { path: 'body.number', message: 'expected 2 to 6 digits' },
          { path: 'body.number', message: 'too long' },
          { path: 'body.forwarding.noAnswer.afterSeconds', message: 'too small' },
          { message: 'a detail without a field' },
        ],
      },
    });
    expect(error.code).toBe('validation_failed');
    expect(error.fieldErrors).toEqual({
      number: 'expected 2 to 6 digits',
      'forwarding.noAnswer.afterSeconds': 'too small',
    });
  });

  it('keeps an error without details as a message only', () => {
    const error = apiErrorFromResponse(401, {
      error: { code: 'invalid_credentials', message: 'wrong e-mail or password' },
    });
    expect(error.code).toBe('invalid_credentials');
    expect(error.fieldErrors).toEqual({});
  });

  it('does not guess at a code this build does not know', () => {
    const error = apiErrorFromResponse(418, {
      error: { code: 'teapot', message: 'short and stout' },
    });
    expect(error.code).toBe('unexpected_response');
    expect(error.message).toBe('short and stout');
  });

  it('reports a body that is not an error body as unexpected', () => {
    for (const body of [
      null,
      '<html>Bad Gateway</html>',
      { message: 'no envelope' },
      { error: 'x' },
    ]) {
      const error = apiErrorFromResponse(502, body);
      expect(error.code).toBe('unexpected_response');
      expect(error.status).toBe(502);
    }
  });
});
