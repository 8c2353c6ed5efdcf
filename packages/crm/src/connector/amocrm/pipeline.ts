import type { CallRecord } from '../../call-model.ts';
import type { AmoCrmClient } from '../../amocrm/client.ts';
import { AmoCrmError } from '../../amocrm/errors.ts';
import { planAmoCrmCall, type CallPlan, type StepName } from './plan.ts';
import { chooseResponsible } from '../responsible.ts';
import type { AmoCrmRules } from '../rules.ts';
import type { HookEngine } from '../hooks.ts';
import {
  callTrace,
  hookedLinks,
  hookedPlan,
  runSteps,
  type CallTrace,
  type StepHandler,
  type StepTrace,
} from '../run-steps.ts';

import type { CallLinks } from '../links.ts';
import {
  stepHandlers,
  type RunState,
  type StepContext,
  type StepHandler as AmoStepHandler,
} from './step-handlers.ts';
import type { ProcessedSteps } from '../steps.ts';

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
  /** Runs the tenant's hooks (`rules.hooks`); without one, hooks are not run. */
  readonly hookEngine?: HookEngine | null;
}

export type AmoCallOutcome =
  | { readonly outcome: 'completed'; readonly trace: CallTrace }
  | { readonly outcome: 'failed'; readonly error: AmoCrmError; readonly trace: CallTrace };

/** The steps' shared context; each step adds its traced client and its runtime. */
type AmoStepBase = Omit<StepContext, 'ambiguous' | 'beforeWrite'>;

function adapt(handler: AmoStepHandler): StepHandler<AmoStepBase, RunState> {
  return {
    writes: handler.writes,
    run: (ctx, runtime) =>
      handler.run({
        ...ctx,
        client: ctx.client.withTrace(runtime.trace),
        ambiguous: runtime.ambiguous,
        beforeWrite: runtime.beforeWrite,
      }),
    restore: (result, state, ctx) => handler.restore(result, state, ctx.phone),
  };
}

const amoRunHandlers: Record<StepName, StepHandler<AmoStepBase, RunState>> = {
  find_contact: adapt(stepHandlers.find_contact),
  create_contact: adapt(stepHandlers.create_contact),
  create_lead: adapt(stepHandlers.create_lead),
  add_unsorted: adapt(stepHandlers.add_unsorted),
  register_call: adapt(stepHandlers.register_call),
  missed_call_task: adapt(stepHandlers.missed_call_task),
};

/**
 * Runs one finished call's amoCRM steps in order. Run it again after any failure (the job
 * queue does, after `error.retryAfterMs`): steps recorded as done are not sent again, and
 * a step whose earlier attempt has an unknown outcome first looks for what it created.
 * Errors other than AmoCrmError (a failing ProcessedSteps, a bug) are thrown.
 */
export async function runAmoCrmCall(run: AmoCallRun): Promise<AmoCallOutcome> {
  const { hooks, call, plan } = hookedPlan(
    run.call,
    run.rules.hooks,
    run.hookEngine ?? null,
    (rewritten): CallPlan => planAmoCrmCall(rewritten, run.rules, run.connectionId),
  );
  const state: RunState = {
    contact: null,
    contactCreatedHere: false,
    leadId: null,
    responsible: chooseResponsible(call, run.rules, null, run.users),
  };
  const phone = plan.clientPhone;
  const trace = (steps: readonly StepTrace[]) =>
    callTrace(plan, state.responsible, steps, hooks.notes);
  if (phone === null) return { outcome: 'completed', trace: trace([]) };
  const uniq = plan.steps.find((step) => step.name === 'register_call')?.key ?? `${plan.callId}`;
  const context: AmoStepBase = {
    call,
    rules: run.rules,
    links: hookedLinks(run.links, hooks),
    phone,
    uniq,
    client: run.client.withHooks(hooks.rewrite),
    state,
  };
  const { steps, failure } = await runSteps({
    steps: plan.steps,
    handlers: amoRunHandlers,
    context,
    state,
    processed: run.processed,
    isCrmFailure: (error) => error instanceof AmoCrmError,
    afterStep: (name) => {
      if (name === 'find_contact')
        state.responsible = chooseResponsible(call, run.rules, state.contact, run.users);
    },
  });
  if (failure instanceof AmoCrmError)
    return { outcome: 'failed', error: failure, trace: trace(steps) };
  return { outcome: 'completed', trace: trace(steps) };
}
