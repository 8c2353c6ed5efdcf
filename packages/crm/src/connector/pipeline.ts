import type { CallRecord } from '../call-model.ts';
import type { AmoCrmClient } from '../amocrm/client.ts';
import type { HttpExchange } from '../http/exchange.ts';
import { AmoCrmError } from '../amocrm/errors.ts';
import { planAmoCrmCall, type CallPlan, type StepName } from './plan.ts';
import { chooseResponsible, type ResponsibleChoice } from './responsible.ts';
import type { AmoCrmRules, CallType } from './rules.ts';
import { stepHandlers, type CallLinks, type RunState } from './step-handlers.ts';
import type { ProcessedSteps, StepResult } from './steps.ts';

export interface AmoCallRun {
  readonly call: CallRecord;
  readonly rules: AmoCrmRules;
  /** Names the tenant's amoCRM connection in step keys. */
  readonly connectionId: string;
  readonly client: AmoCrmClient;
  readonly processed: ProcessedSteps;
  /** Extension → amoCRM user id (buildExtensionUserMap). */
  readonly users: ReadonlyMap<string, number>;
  readonly links: CallLinks;
}

/**
 * What a step did on this attempt: `already_done` when an earlier attempt recorded it,
 * `skipped` when its condition did not hold, `failed` when amoCRM (or the way to it) failed.
 */
export type StepOutcomeKind = 'done' | 'skipped' | 'already_done' | 'failed';

export interface StepTrace {
  readonly name: StepName;
  readonly key: string;
  readonly reason: string;
  readonly outcome: StepOutcomeKind;
  readonly detail: string;
  readonly exchanges: readonly HttpExchange[];
}

/** Everything support needs to answer "what did this call send to amoCRM, and why?". */
export interface CallTrace {
  readonly callId: string;
  readonly callType: CallType;
  readonly clientPhone: string | null;
  readonly skipped: string | null;
  readonly responsible: ResponsibleChoice | null;
  readonly steps: readonly StepTrace[];
}

export type AmoCallOutcome =
  | { readonly outcome: 'completed'; readonly trace: CallTrace }
  | { readonly outcome: 'failed'; readonly error: AmoCrmError; readonly trace: CallTrace };

function describe(result: StepResult): string {
  const parts = Object.entries(result).map(([name, value]) => `${name} ${value ?? '-'}`);
  return parts.length === 0 ? 'recorded earlier' : `recorded earlier: ${parts.join(', ')}`;
}

/**
 * Runs one finished call's amoCRM steps in order. Run it again after any failure (the job
 * queue does, after `error.retryAfterMs`): steps recorded as done are not sent again, and
 * a step whose earlier attempt has an unknown outcome first looks for what it created.
 * Errors other than AmoCrmError (a failing ProcessedSteps, a bug) are thrown.
 */
export async function runAmoCrmCall(run: AmoCallRun): Promise<AmoCallOutcome> {
  const plan: CallPlan = planAmoCrmCall(run.call, run.rules, run.connectionId);
  const steps: StepTrace[] = [];
  const state: RunState = {
    contact: null,
    contactCreatedHere: false,
    leadId: null,
    responsible: chooseResponsible(run.call, run.rules, null, run.users),
  };
  const trace = (): CallTrace => ({
    callId: plan.callId,
    callType: plan.callType,
    clientPhone: plan.clientPhone,
    skipped: plan.skipped,
    responsible: plan.steps.length === 0 ? null : state.responsible,
    steps: [...steps],
  });
  const phone = plan.clientPhone;
  if (phone === null) return { outcome: 'completed', trace: trace() };
  const uniq = plan.steps.find((step) => step.name === 'register_call')?.key ?? `${plan.callId}`;

  for (const step of plan.steps) {
    const handler = stepHandlers[step.name];
    const exchanges: HttpExchange[] = [];
    const record = handler.writes ? await run.processed.get(step.key) : undefined;
    const entry = { name: step.name, key: step.key, reason: step.reason, exchanges };
    if (record?.state === 'done') {
      handler.restore(record.result, state, phone);
      steps.push({ ...entry, outcome: 'already_done', detail: describe(record.result) });
      continue;
    }
    try {
      const outcome = await handler.run({
        call: run.call,
        rules: run.rules,
        links: run.links,
        phone,
        uniq,
        client: run.client.withTrace((exchange) => exchanges.push(exchange)),
        state,
        ambiguous: record?.state === 'started',
        beforeWrite: () => run.processed.markStarted(step.key),
      });
      if (outcome.kind === 'done' && handler.writes)
        await run.processed.markDone(step.key, outcome.result);
      steps.push({ ...entry, outcome: outcome.kind, detail: outcome.detail });
    } catch (error) {
      if (!(error instanceof AmoCrmError)) throw error;
      steps.push({ ...entry, outcome: 'failed', detail: `${error.code}: ${error.message}` });
      return { outcome: 'failed', error, trace: trace() };
    }
    if (step.name === 'find_contact')
      state.responsible = chooseResponsible(run.call, run.rules, state.contact, run.users);
  }
  return { outcome: 'completed', trace: trace() };
}
