import type { RoutingSimulationScript, SimulatedRingAnswer } from '@provod/contracts';
import type {
  CallActions,
  CallFacts,
  RingOutcome,
  RingTarget,
  RoutingContext,
  RoutingExtension,
  TenantDirectory,
} from '../routing-context.ts';
import { simulateQueue } from './queue-simulation.ts';

/** What the simulator knows of the tenant: its extensions and who is registered now. */
export interface SimulatedTenant {
  readonly timeZone: string;
  readonly extensions: readonly RoutingExtension[];
  readonly registered: ReadonlySet<string>;
}

export interface SimulatedCallInput {
  readonly caller: string;
  readonly dialled: string;
  readonly at: Date;
  readonly script: RoutingSimulationScript;
}

/**
 * A call that exists only on paper: every action is answered from the script, and a
 * simulated clock moves on by the time ringing and waiting would take, so schedules and
 * queue waits see the moment the real call would.
 *
 * Defaults, when the script is silent: an extension answers when it has a registered
 * phone (else it is unreachable); an external number answers; of several phones rung
 * together the first that answers takes the call; the caller keys nothing at a menu (so
 * its timeout runs); a voicemail caller leaves a message; no conference PIN is keyed.
 * Scripting an extension other than `unreachable` counts it as registered.
 */
export class SimulatedCall implements RoutingContext {
  readonly call: CallFacts;
  readonly tenant: TenantDirectory;
  readonly actions: CallActions;
  readonly signal = new AbortController().signal;
  #clock: number;
  #digitsUsed = 0;

  constructor(tenant: SimulatedTenant, input: SimulatedCallInput) {
    const script = input.script;
    this.#clock = input.at.getTime();
    this.call = { caller: input.caller, dialled: input.dialled, timeZone: tenant.timeZone };
    const extensions = new Map(tenant.extensions.map((e) => [e.number, e]));
    const isRegistered = (number: string): boolean => {
      const scripted = script.ring[number];
      return scripted === undefined ? tenant.registered.has(number) : scripted !== 'unreachable';
    };
    this.tenant = { extension: (number) => extensions.get(number), isRegistered };

    const answerOf = (target: RingTarget): SimulatedRingAnswer => {
      const scripted = script.ring[target.number];
      if (scripted !== undefined) return scripted;
      if (target.kind === 'external') return 'answer';
      return isRegistered(target.number) ? 'answer' : 'unreachable';
    };

    this.actions = {
      answer: async () => undefined,
      earlyMedia: async () => undefined,
      playPrompt: async () => undefined,
      hangup: async () => undefined,
      ring: async (targets, timeoutSeconds) => this.#ring(targets, timeoutSeconds, answerOf),
      forward: async (number, { timeoutSeconds }) =>
        this.#ring([{ kind: 'external', number }], timeoutSeconds, answerOf),
      collectDigits: async ({ timeoutSeconds, maxDigits }) => {
        const keyed = script.digits[this.#digitsUsed] ?? '';
        this.#digitsUsed++;
        if (keyed === '') {
          this.#advance(timeoutSeconds);
          return { kind: 'timeout' };
        }
        return { kind: 'digits', digits: keyed.slice(0, maxDigits) };
      },
      recordVoicemail: async () =>
        script.leaveMessage ? { kind: 'recorded' } : { kind: 'no_message' },
      joinConference: async ({ pin }) =>
        pin === null || script.conferencePin === pin ? { kind: 'joined' } : { kind: 'wrong_pin' },
      waitInQueue: async (request) => {
        const outcome = simulateQueue(request, {
          waiting: script.queueWaiting[request.nodeId] ?? 0,
          available: (agent) =>
            extensions.get(agent)?.doNotDisturb === false && isRegistered(agent),
          answerOf: (agent) => answerOf({ kind: 'extension', number: agent }),
        });
        if (outcome.kind !== 'full') this.#advance(outcome.waitedSeconds);
        return outcome;
      },
    };
  }

  now(): Date {
    return new Date(this.#clock);
  }

  #advance(seconds: number): void {
    this.#clock += seconds * 1000;
  }

  /** The first target (in order) that answers takes the call, with no time spent ringing. */
  #ring(
    targets: readonly RingTarget[],
    timeoutSeconds: number,
    answerOf: (target: RingTarget) => SimulatedRingAnswer,
  ): RingOutcome {
    const answers = targets.map((target) => ({ target, answer: answerOf(target) }));
    const answered = answers.find((a) => a.answer === 'answer');
    if (answered !== undefined) return { kind: 'answered', by: answered.target.number };
    if (answers.length > 0 && answers.every((a) => a.answer === 'unreachable')) {
      return { kind: 'unreachable' };
    }
    if (answers.length > 0 && answers.every((a) => a.answer !== 'no_answer')) {
      return { kind: 'busy' };
    }
    this.#advance(timeoutSeconds);
    return { kind: 'no_answer' };
  }
}
