import type { CrmFailure, StepTrace } from '../../src/index.ts';
import type { HookEngine, HookSources } from '../../src/connector/hooks.ts';
import { quickJsEngine } from '../../src/hooks/quickjs-engine.ts';
import { fetchTransport, type HttpTransport } from '../../src/http/transport.ts';
import type { InFlight } from '../amocrm-sandbox.ts';
import type { GoldenRequest } from './scenario.ts';

/** At most this many runs of one call: the job queue's retries, compressed. */
const maxRuns = 6;

/**
 * `"@olga"`, `"@ivan"`, `"@admin"` name the account's users and `"@contact0"`… the seeded
 * records, so scenario files need not know the ids the sandbox hands out.
 */
export function resolveNames(value: unknown, names: ReadonlyMap<string, number>): unknown {
  if (typeof value === 'string' && value.startsWith('@')) {
    const id = names.get(value);
    if (id === undefined) throw new Error(`unknown name ${value} in a golden scenario`);
    return id;
  }
  if (Array.isArray(value)) return value.map((item) => resolveNames(item, names));
  if (typeof value === 'object' && value !== null)
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, resolveNames(item, names)]),
    );
  return value;
}

/**
 * How a request is written into the golden list: its path as compared, and whether its
 * body is a secret (token exchanges: fresh random tokens, only the fact of the request counts).
 */
export type GoldenPath = (url: URL) => { readonly path: string; readonly secret: boolean };

export function recordingTransport(
  requests: GoldenRequest[],
  inFlight: InFlight,
  golden: GoldenPath,
): HttpTransport {
  return {
    async send(request) {
      const { path, secret } = golden(new URL(request.url));
      const body =
        request.body === undefined || secret ? null : (JSON.parse(request.body) as unknown);
      inFlight.count += 1;
      try {
        const response = await fetchTransport.send(request);
        requests.push({ method: request.method, path, body, status: response.status });
        return response;
      } catch (error) {
        requests.push({ method: request.method, path, body, status: null });
        throw error;
      } finally {
        inFlight.count -= 1;
      }
    },
  };
}

type RunOutcome =
  | { readonly outcome: 'completed'; readonly trace: RunTrace }
  | { readonly outcome: 'failed'; readonly error: CrmFailure; readonly trace: RunTrace };

interface RunTrace {
  readonly skipped: string | null;
  readonly steps: readonly StepTrace[];
  readonly notes: readonly string[];
}

/** The sandboxed engine when the settings have hooks (loading QuickJS costs a moment). */
export async function engineFor(hooks: HookSources): Promise<HookEngine | null> {
  return Object.keys(hooks).length > 0 ? quickJsEngine() : null;
}

/** Runs the pipeline as the job queue would: again after each retryable failure. */
export async function replayRuns(runOnce: () => Promise<RunOutcome>): Promise<string[]> {
  const runs: string[] = [];
  for (let run = 0; run < maxRuns; run += 1) {
    const outcome = await runOnce();
    const notes = outcome.trace.notes.length === 0 ? '' : ` [${outcome.trace.notes.join('; ')}]`;
    const steps =
      outcome.trace.steps.map((step) => `${step.name}:${step.outcome}`).join(' ') + notes;
    if (outcome.outcome === 'completed') {
      runs.push(
        `completed${outcome.trace.skipped === null ? '' : ` (${outcome.trace.skipped})`}: ${steps}`,
      );
      break;
    }
    runs.push(`failed ${outcome.error.code}: ${steps}`);
    if (!outcome.error.retryable) break;
  }
  return runs;
}
