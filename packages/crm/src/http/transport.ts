/**
 * The HTTP exchange the amoCRM client needs, as a seam: production uses `fetch`
 * (Node's undici), tests may wrap it to watch the order of requests.
 */
export interface HttpRequest {
  readonly method: 'GET' | 'POST' | 'PATCH';
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly timeoutMs: number;
}

export interface HttpResponse {
  readonly status: number;
  readonly contentType: string;
  /** The raw `Retry-After` header, when present. */
  readonly retryAfter: string | null;
  readonly text: string;
}

/** Why no answer came: the two outcomes a caller treats differently in the trace. */
export class TransportError extends Error {
  override readonly name = 'TransportError';
  constructor(
    readonly kind: 'timeout' | 'network',
    message: string,
    options?: { cause: unknown },
  ) {
    super(message, options);
  }
}

export interface HttpTransport {
  send(request: HttpRequest): Promise<HttpResponse>;
}

/** `AbortSignal.timeout` rejects with a DOMException named TimeoutError (WHATWG DOM §3.3). */
function isTimeout(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'TimeoutError';
}

export const fetchTransport: HttpTransport = {
  async send(request) {
    let response: Response;
    let text: string;
    try {
      response = await fetch(request.url, {
        method: request.method,
        headers: request.headers,
        body: request.body,
        signal: AbortSignal.timeout(request.timeoutMs),
        redirect: 'manual',
      });
      text = await response.text();
    } catch (error) {
      if (isTimeout(error))
        throw new TransportError('timeout', `no answer in ${request.timeoutMs} ms`, {
          cause: error,
        });
      throw new TransportError('network', `${request.method} ${request.url} failed`, {
        cause: error,
      });
    }
    return {
      status: response.status,
      contentType: response.headers.get('content-type') ?? '',
      retryAfter: response.headers.get('retry-after'),
      text,
    };
  },
};
