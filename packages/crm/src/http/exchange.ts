/** One request and its answer, as support sees it in a call's CRM trace. */
export interface HttpExchange {
  /** ISO 8601, from the client's clock, when the request was sent (after pacing). */
  readonly at: string;
  readonly method: 'GET' | 'POST' | 'PATCH';
  readonly path: string;
  /** null when no answer came (network error, timeout). */
  readonly status: number | null;
  readonly durationMs: number;
  readonly request: string | null;
  readonly response: string | null;
  /** The error code the answer was read as, when it was an error. */
  readonly error: string | null;
}

export type TraceSink = (exchange: HttpExchange) => void;

const excerptLimit = 2000;

/** A body as the trace keeps it: long ones shortened, empty ones null. */
export function excerpt(text: string | undefined): string | null {
  if (text === undefined || text === '') return null;
  return text.length > excerptLimit ? `${text.slice(0, excerptLimit)}…` : text;
}
