import type { CallRecord } from '../../call-model.ts';
import type { Bitrix24Client } from '../../bitrix24/client.ts';
import { Bitrix24Error } from '../../bitrix24/errors.ts';
import type { HookEngine } from '../hooks.ts';
import {
  callTrace,
  hookedLinks,
  hookedPlan,
  runSteps,
  type CallTrace,
  type StepTrace,
} from '../run-steps.ts';
import { chooseResponsible } from '../responsible.ts';
import type { CallLinks } from '../links.ts';
import type { ProcessedSteps } from '../steps.ts';
import { planBitrix24Call } from './plan.ts';
import type { Bitrix24Rules } from './rules.ts';
import {
  bitrixStepHandlers,
  type BitrixRunState,
  type BitrixStepContext,
} from './step-handlers.ts';

export interface Bitrix24CallRun {
  readonly call: CallRecord;
  readonly rules: Bitrix24Rules;
  readonly connectionId: string;
  readonly client: Bitrix24Client;
  readonly processed: ProcessedSteps;
  /** Extension → Bitrix24 user id (buildExtensionUserMap). */
  readonly users: ReadonlyMap<string, number>;
  readonly links: CallLinks;
  /** Runs the tenant's hooks (`rules.hooks`); without one, hooks are not run. */
  readonly hookEngine?: HookEngine | null;
}

export type Bitrix24CallOutcome =
  | { readonly outcome: 'completed'; readonly trace: CallTrace }
  | { readonly outcome: 'failed'; readonly error: Bitrix24Error; readonly trace: CallTrace };

/**
 * Runs one finished call's Bitrix24 steps. Run it again after a failure (the job queue
 * does): done steps are not sent again; an interrupted register is sent again with the
 * same EXTERNAL_CALL_ID, which Bitrix24 answers with the same CALL_ID.
 */
export async function runBitrix24Call(run: Bitrix24CallRun): Promise<Bitrix24CallOutcome> {
  const { hooks, call, plan } = hookedPlan(
    run.call,
    run.rules.hooks,
    run.hookEngine ?? null,
    (rewritten) => planBitrix24Call(rewritten, run.rules, run.connectionId),
  );
  const state: BitrixRunState = {
    entity: null,
    callId: null,
    responsible: chooseResponsible(call, run.rules, null, run.users),
  };
  const trace = (steps: readonly StepTrace[]) =>
    callTrace(plan, state.responsible, steps, hooks.notes);
  if (plan.clientPhone === null) return { outcome: 'completed', trace: trace([]) };
  const context: BitrixStepContext = {
    call,
    rules: run.rules,
    links: hookedLinks(run.links, hooks),
    phone: plan.clientPhone,
    externalCallId: plan.steps.find((step) => step.name === 'register_call')?.key ?? `${call.id}`,
    client: run.client.withHooks(hooks.rewrite),
    state,
    chooseResponsible: (holder) => chooseResponsible(call, run.rules, holder, run.users),
  };
  const { steps, failure } = await runSteps({
    steps: plan.steps,
    handlers: bitrixStepHandlers,
    context,
    state,
    processed: run.processed,
    isCrmFailure: (error) => error instanceof Bitrix24Error,
  });
  if (failure instanceof Bitrix24Error)
    return { outcome: 'failed', error: failure, trace: trace(steps) };
  return { outcome: 'completed', trace: trace(steps) };
}
