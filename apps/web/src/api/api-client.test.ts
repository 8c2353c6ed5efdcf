import { sessionSchema } from '@provod/contracts';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createApiClient } from './api-client.ts';
import { ApiError } from './api-error.ts';

interface Sent {
  url: string;
  init: RequestInit;
}

function fakeFetch(answer: () => Response | Promise<Response>) {
  const sent: Sent[] = [];
  const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    sent.push({ url: input instanceof Request ? input.url : input.toString(), init: init ?? {} });
    return answer();
  };
  return { sent, fetch };
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

async function failure(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

const session = {
  user: {
    id: '4a1d3c8e-6f0b-4b8e-9d7a-1c2b3d4e5f60',
    tenantId: '5b2e4d9f-7a1c-4c9f-8e8b-2d3c4e5f6a71',
    email: 'owner@acme.test',
    name: 'Owner',
    role: 'owner',
    createdAt: '2025-01-01T00:00:00.000Z',
    updatedAt: '2025-01-01T00:00:00.000Z',
  },
  csrfToken: 'csrf-123',
  expiresAt: '2025-01-08T00:00:00.000Z',
};

describe('createApiClient', () => {
  it('sends the CSRF token on writes only, with the cookie of the same origin', async () => {
    const { sent, fetch } = fakeFetch(() => json(200, session));
    const call = createApiClient({ fetch, baseUrl: '/api/v1', csrfToken: () => 'csrf-123' });
    await call({ method: 'GET', path: '/auth/session', response: sessionSchema });
    await call({ method: 'POST', path: '/auth/login', body: { a: 1 }, response: sessionSchema });
    const [read, write] = sent;
    expect(read?.url).toBe('/api/v1/auth/session');
    expect(read?.init.credentials).toBe('same-origin');
    expect(read?.init.headers).not.toHaveProperty('x-csrf-token');
    expect(write?.init.method).toBe('POST');
    expect(write?.init.headers).toMatchObject({
      'x-csrf-token': 'csrf-123',
      'content-type': 'application/json',
    });
    expect(write?.init.body).toBe('{"a":1}');
  });

  it('sends no CSRF header before there is a session', async () => {
    const { sent, fetch } = fakeFetch(() => json(200, session));
    const call = createApiClient({ fetch, baseUrl: '/api/v1', csrfToken: () => null });
    await call({ method: 'POST', path: '/auth/login', body: {}, response: sessionSchema });
    expect(sent[0]?.init.headers).not.toHaveProperty('x-csrf-token');
  });

  it('returns the parsed answer, and null for 204', async () => {
    const ok = createApiClient({
      fetch: fakeFetch(() => json(200, session)).fetch,
      baseUrl: '',
      csrfToken: () => null,
    });
    expect(await ok({ method: 'GET', path: '/s', response: sessionSchema })).toEqual(session);
    const empty = createApiClient({
      fetch: fakeFetch(() => new Response(null, { status: 204 })).fetch,
      baseUrl: '',
      csrfToken: () => 't',
    });
    expect(await empty({ method: 'DELETE', path: '/x/1', response: z.null() })).toBeNull();
  });

  it('builds the query string from the defined values', async () => {
    const { sent, fetch } = fakeFetch(() => json(200, []));
    const call = createApiClient({ fetch, baseUrl: '/api/v1', csrfToken: () => null });
    await call({
      method: 'GET',
      path: '/calls',
      query: { from: '2025-01-01T00:00:00.000Z', limit: 500, cursor: undefined },
      response: z.array(z.unknown()),
    });
    expect(sent[0]?.url).toBe('/api/v1/calls?from=2025-01-01T00%3A00%3A00.000Z&limit=500');
  });

  it('turns an error body into an ApiError with field errors', async () => {
    const { fetch } = fakeFetch(() =>
      json(409, {
        error: {
          code: 'conflict',
          message: 'extension 201 already exists',
          details: [{ path: 'number', message: 'already taken' }],
        },
      }),
    );
    const call = createApiClient({ fetch, baseUrl: '', csrfToken: () => 't' });
    const error = await failure(
      call({ method: 'POST', path: '/extensions', body: { number: '201' }, response: z.unknown() }),
    );
    expect(error.code).toBe('conflict');
    expect(error.status).toBe(409);
    expect(error.fieldErrors).toEqual({ number: 'already taken' });
  });

  it('reports a request that got no answer as network_error', async () => {
    const { fetch } = fakeFetch(() => Promise.reject(new TypeError('Failed to fetch')));
    const call = createApiClient({ fetch, baseUrl: '', csrfToken: () => null });
    const error = await failure(call({ method: 'GET', path: '/tenant', response: z.unknown() }));
    expect(error.code).toBe('network_error');
    expect(error.status).toBe(0);
  });

  it('refuses an answer that does not match the contract', async () => {
    const { fetch } = fakeFetch(() => json(200, { user: 'not a user' }));
    const call = createApiClient({ fetch, baseUrl: '', csrfToken: () => null });
    const error = await failure(
      call({ method: 'GET', path: '/auth/session', response: sessionSchema }),
    );
    expect(error.code).toBe('unexpected_response');
    expect(error.status).toBe(200);
  });

  it('reports an HTML error page (a proxy in between) as unexpected', async () => {
    const { fetch } = fakeFetch(() => new Response('<h1>502 Bad Gateway</h1>', { status: 502 }));
    const call = createApiClient({ fetch, baseUrl: '', csrfToken: () => null });
    const error = await failure(call({ method: 'GET', path: '/tenant', response: z.unknown() }));
    expect(error.code).toBe('unexpected_response');
    expect(error.status).toBe(502);
  });
});
