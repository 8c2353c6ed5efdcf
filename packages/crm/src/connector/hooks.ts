import type { CallRecord } from '../call-model.ts';

/**
 * The tenant's customization hooks (seed 000's server-side PHP files, made safe): small
 * JavaScript functions stored with the connection's settings, run in a sandbox with a time
 * and memory limit at fixed points of the pipeline. A hook that throws, runs too long or
 * answers nonsense is noted in the call's trace and the defaults are used; a request hook
 * that returns null cancels its request.
 *
 * - `shouldRegister(call)` → boolean: false sends nothing for the call.
 * - `numbers({client, employee, call})` → `{client?, employee?}`: rewrites the client's
 *   number and the employee's extension before anything else.
 * - `entity(body, call)`, `registration(body, call)`, `finish(body, call)`,
 *   `missedCallTask(body, call)` → the request body to send, or null to send none.
 * - `recordingLink({url, call})` → the link to give the CRM, or null for none.
 */
export const hookPoints = [
  'shouldRegister',
  'numbers',
  'entity',
  'registration',
  'finish',
  'missedCallTask',
  'recordingLink',
] as const;
export type HookPoint = (typeof hookPoints)[number];

/** Where a request's body may be changed or cancelled. */
export type RequestHookPoint = 'entity' | 'registration' | 'finish' | 'missedCallTask';

/** Hook sources by point, as stored in the rules. */
export type HookSources = Readonly<Partial<Record<HookPoint, string>>>;

export type HookResult =
  { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: string };

/** Runs one hook's source on a JSON input (quickjs.ts in the server's use). */
export interface HookEngine {
  run(source: string, input: readonly unknown[]): HookResult;
}

/** A request a hook cancelled: the step is skipped, the call goes on. */
export class HookCancellation extends Error {
  override readonly name = 'HookCancellation';
  constructor(readonly point: RequestHookPoint) {
    super(`cancelled by the tenant's "${point}" hook`);
  }
}

/** What the clients call before a write: the body to send, or a HookCancellation thrown. */
export type RequestRewrite = (point: RequestHookPoint, body: unknown) => unknown;

/** No hooks: what a run without an engine or sources gets. */
export const noHookSources: HookSources = {};

/** The hooks of one call's run, and the notes their failures leave for the trace. */
export class CallHooks {
  readonly notes: string[] = [];

  constructor(
    private readonly sources: HookSources,
    private readonly engine: HookEngine | null,
    private call: CallRecord,
  ) {}

  /** The hook's answer; null when there is no hook or it failed (noted for the trace). */
  private run(point: HookPoint, input: readonly unknown[]): { readonly value: unknown } | null {
    const source = this.sources[point];
    if (source === undefined || source.trim() === '' || this.engine === null) return null;
    const result = this.engine.run(source, input);
    if (result.ok) return { value: result.value };
    this.notes.push(`hook "${point}" failed (${result.error}); defaults used`);
    return null;
  }

  private refuse(point: HookPoint, what: string): null {
    this.notes.push(`hook "${point}" answered ${what}; defaults used`);
    return null;
  }

  /** Why the tenant's hook keeps the call from the CRM, or null. */
  veto(call: CallRecord): string | null {
    const result = this.run('shouldRegister', [call]);
    if (result === null) return null;
    if (typeof result.value !== 'boolean') return this.refuse('shouldRegister', 'no boolean');
    return result.value ? null : 'the tenant\'s "shouldRegister" hook said no';
  }

  /** The call with the client's number and the employee's extension as the hook rewrote them. */
  rewriteNumbers(call: CallRecord): CallRecord {
    const outbound = call.direction === 'outbound';
    const client = outbound ? call.calledNumber : call.callerNumber;
    const employee = outbound ? call.callerNumber : call.answeredBy;
    const result = this.run('numbers', [{ client, employee, call }]);
    if (result === null) return call;
    const value = result.value;
    if (typeof value !== 'object' || value === null)
      return this.refuse('numbers', 'no object') ?? call;
    const text = (key: string): string | undefined => {
      const field: unknown = (value as Record<string, unknown>)[key];
      return typeof field === 'string' && field.trim() !== '' ? field.trim() : undefined;
    };
    const newClient = text('client') ?? client;
    const newEmployee = text('employee') ?? employee;
    this.call = outbound
      ? { ...call, calledNumber: newClient, callerNumber: newEmployee ?? call.callerNumber }
      : { ...call, callerNumber: newClient, answeredBy: newEmployee };
    return this.call;
  }

  /** The recording's link as the hook has it (null: give the CRM none). */
  recordingLink(url: string | null): string | null {
    if (url === null) return null;
    const result = this.run('recordingLink', [{ url, call: this.call }]);
    if (result === null) return url;
    if (result.value === null) return null;
    return typeof result.value === 'string'
      ? result.value
      : (this.refuse('recordingLink', 'no string') ?? url);
  }

  /** For the clients: a request body rewritten, or HookCancellation thrown. */
  readonly rewrite: RequestRewrite = (point, body) => {
    const result = this.run(point, [body, this.call]);
    if (result === null) return body;
    if (result.value === null) throw new HookCancellation(point);
    if (typeof result.value !== 'object') return this.refuse(point, 'no object') ?? body;
    return result.value;
  };
}
