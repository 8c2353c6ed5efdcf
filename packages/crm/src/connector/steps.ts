/**
 * Idempotency of the per-call pipeline. amoCRM does not de-duplicate calls by `uniq`
 * (CRM-FACTS §4), and a retried pipeline must not create a second contact, call or task,
 * so every write step has a stable key (connection, call, step) and its outcome is
 * recorded. A step is marked `started` before its request is sent: finding it `started`
 * on a rerun means the earlier attempt's outcome is unknown (crash, timeout, 5xx), and the
 * step first looks in amoCRM for what it may have created.
 */
export type StepResult = Readonly<Record<string, string | number | null>>;

export type StepRecord =
  { readonly state: 'started' } | { readonly state: 'done'; readonly result: StepResult };

/** Backed by the database in the server; must be durable when its promises resolve. */
export interface ProcessedSteps {
  get(key: string): Promise<StepRecord | undefined>;
  markStarted(key: string): Promise<void>;
  markDone(key: string, result: StepResult): Promise<void>;
}

export function stepKey(
  connectionId: string,
  callId: string,
  step: string,
  crm: 'amocrm' | 'bitrix24' = 'amocrm',
): string {
  return `${crm}:${connectionId}:${callId}:${step}`;
}

/** In memory: for tests and a development server without a database. */
export class MemoryProcessedSteps implements ProcessedSteps {
  readonly records = new Map<string, StepRecord>();

  async get(key: string): Promise<StepRecord | undefined> {
    return this.records.get(key);
  }

  async markStarted(key: string): Promise<void> {
    if (this.records.get(key)?.state !== 'done') this.records.set(key, { state: 'started' });
  }

  async markDone(key: string, result: StepResult): Promise<void> {
    this.records.set(key, { state: 'done', result });
  }
}
