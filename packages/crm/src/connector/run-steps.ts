import type { HttpExchange, TraceSink } from '../http/exchange.ts';
import type { CallRecord } from '../call-model.ts';
import { CallHooks, HookCancellation, type HookEngine, type HookSources } from './hooks.ts';
import type { CallLinks } from './links.ts';
import type { CallType } from './rules.ts';
import type { ResponsibleChoice } from './responsible.ts';
import type { StepOutcome } from './step-outcome.ts';
import type { ProcessedSteps, StepResult } from './steps.ts';

/** A step of a call's plan: what to do, its idempotency key, and the rule that asked. */
export interface PlannedStep<N extends string = string> {
  readonly name: N;
  readonly key: string;
  /** Why the step is there: the call type and the rule, in words for the trace. */
  readonly reason: string;
}

/**
 * What a step did on this attempt: `already_done` when an earlier attempt recorded it,
 * `skipped` when its condition did not hold, `failed` when the CRM (or the way to it) failed.
 */
export type StepOutcomeKind = 'done' | 'skipped' | 'already_done' | 'failed';

export interface StepTrace {
  readonly name: string;
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
  /** What the tenant's hooks did wrong (their defaults were used). */
  readonly notes: readonly string[];
}

/** The trace of one attempt: the plan's view of the call, who was responsible, the steps. */
export function callTrace(
  plan: {
    readonly callId: string;
    readonly callType: CallType;
    readonly clientPhone: string | null;
    readonly skipped: string | null;
    readonly steps: readonly unknown[];
  },
  responsible: ResponsibleChoice,
  steps: readonly StepTrace[],
  notes: readonly string[],
): CallTrace {
  return {
    callId: plan.callId,
    callType: plan.callType,
    clientPhone: plan.clientPhone,
    skipped: plan.skipped,
    responsible: plan.steps.length === 0 ? null : responsible,
    steps,
    notes: [...notes],
  };
}

/**
 * The start both pipelines share: the tenant's hooks for this call, the call with its
 * numbers as the `numbers` hook rewrote them, and the plan — emptied when the
 * `shouldRegister` hook says no (asked only when something would be sent).
 */
export function hookedPlan<
  P extends { readonly steps: readonly unknown[]; readonly skipped: string | null },
>(
  call: CallRecord,
  sources: HookSources,
  engine: HookEngine | null,
  plan: (call: CallRecord) => P,
): { readonly hooks: CallHooks; readonly call: CallRecord; readonly plan: P } {
  const hooks = new CallHooks(sources, engine, call);
  const rewritten = hooks.rewriteNumbers(call);
  const planned = plan(rewritten);
  const veto = planned.steps.length > 0 ? hooks.veto(rewritten) : null;
  return {
    hooks,
    call: rewritten,
    plan: veto === null ? planned : { ...planned, steps: [], skipped: veto },
  };
}

/** The call's links with the recording's as the `recordingLink` hook has it. */
export function hookedLinks(links: CallLinks, hooks: CallHooks): CallLinks {
  return { ...links, recording: (call) => hooks.recordingLink(links.recording(call)) };
}

/** Whatever a CRM client throws when the CRM fails: the job queue reads these fields. */
export interface CrmFailure extends Error {
  readonly code: string;
  readonly retryable: boolean;
  readonly retryAfterMs: number;
}

/** What every step gets besides its CRM's own context. */
export interface StepRuntime {
  /** Every request the step sends is reported here, for the trace. */
  readonly trace: TraceSink;
  /** An earlier attempt sent this step's request and its outcome is unknown. */
  readonly ambiguous: boolean;
  /** Records the step as started; called right before its write request. */
  readonly beforeWrite: () => Promise<void>;
}

export interface StepHandler<Ctx, State> {
  /** Writes are recorded in ProcessedSteps; reads run again on every attempt. */
  readonly writes: boolean;
  run(ctx: Ctx, runtime: StepRuntime): Promise<StepOutcome>;
  /** Applies a result recorded by an earlier attempt to this attempt's state. */
  restore(result: StepResult, state: State, ctx: Ctx): void;
}

export interface StepRun<N extends string, Ctx, State> {
  readonly steps: readonly PlannedStep<N>[];
  readonly handlers: Readonly<Record<N, StepHandler<Ctx, State>>>;
  readonly context: Ctx;
  readonly state: State;
  readonly processed: ProcessedSteps;
  readonly isCrmFailure: (error: unknown) => error is CrmFailure;
  /** Called after each step that ran (e.g. to choose the responsible once the client is known). */
  readonly afterStep?: (name: N) => void;
}

function describe(result: StepResult): string {
  const parts = Object.entries(result).map(([name, value]) => `${name} ${value ?? '-'}`);
  return parts.length === 0 ? 'recorded earlier' : `recorded earlier: ${parts.join(', ')}`;
}

/**
 * Runs a call's steps in order, the part both CRMs share. Run it again after any failure
 * (the job queue does): steps recorded as done are not sent again — their results are
 * restored — and a step whose earlier attempt has an unknown outcome runs `ambiguous`, to
 * look first for what it may have created. The first CRM failure stops the run; other
 * errors (a failing ProcessedSteps, a bug) are thrown.
 */
export async function runSteps<N extends string, Ctx, State>(
  run: StepRun<N, Ctx, State>,
): Promise<{ readonly steps: StepTrace[]; readonly failure: CrmFailure | null }> {
  const traces: StepTrace[] = [];
  for (const step of run.steps) {
    const handler = run.handlers[step.name];
    const exchanges: HttpExchange[] = [];
    const record = handler.writes ? await run.processed.get(step.key) : undefined;
    const entry = { name: step.name, key: step.key, reason: step.reason, exchanges };
    if (record?.state === 'done') {
      handler.restore(record.result, run.state, run.context);
      traces.push({ ...entry, outcome: 'already_done', detail: describe(record.result) });
      continue;
    }
    try {
      const outcome = await handler.run(run.context, {
        trace: (exchange) => exchanges.push(exchange),
        ambiguous: record?.state === 'started',
        beforeWrite: () => run.processed.markStarted(step.key),
      });
      if (outcome.kind === 'done' && handler.writes)
        await run.processed.markDone(step.key, outcome.result);
      traces.push({ ...entry, outcome: outcome.kind, detail: outcome.detail });
    } catch (error) {
      if (error instanceof HookCancellation) {
        traces.push({ ...entry, outcome: 'skipped', detail: error.message });
        continue;
      }
      if (!run.isCrmFailure(error)) throw error;
      traces.push({ ...entry, outcome: 'failed', detail: `${error.code}: ${error.message}` });
      return { steps: traces, failure: error };
    }
    run.afterStep?.(step.name);
  }
  return { steps: traces, failure: null };
}
