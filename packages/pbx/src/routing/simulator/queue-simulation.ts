import type { SimulatedRingAnswer } from '@provod/contracts';
import type { QueueOutcome, QueueRequest } from '../routing-context.ts';

export interface SimulatedQueueState {
  /** Callers already waiting in this queue. */
  readonly waiting: number;
  /** Logged in, registered and not on do-not-disturb. */
  available(agent: string): boolean;
  answerOf(agent: string): SimulatedRingAnswer;
}

/**
 * A queue with one caller and no history: agents are rung in rounds until one answers or
 * the maximum wait is reached. `ring_all` rings every available agent together for
 * `agentTimeoutSeconds`; the other strategies ring one agent at a time. Without past
 * calls to go by, round-robin, least-recent, fewest-calls and linear all start from the
 * first agent in `agents` order, and random is taken as that order too, so the same
 * script always gives the same path. A busy or unreachable agent takes no ringing time.
 */
export function simulateQueue(request: QueueRequest, state: SimulatedQueueState): QueueOutcome {
  if (request.maxLength !== null && state.waiting >= request.maxLength) {
    return { kind: 'full', waiting: state.waiting };
  }
  const agents = request.agents.filter((agent) => state.available(agent));
  const rounds = request.strategy === 'ring_all' ? [agents] : agents.map((agent) => [agent]);
  let waited = 0;
  while (waited < request.maxWaitSeconds) {
    const before = waited;
    for (const group of rounds) {
      if (waited >= request.maxWaitSeconds) break;
      const answers = group.map((agent) => ({ agent, answer: state.answerOf(agent) }));
      const answered = answers.find((a) => a.answer === 'answer');
      if (answered !== undefined) {
        return { kind: 'answered', by: answered.agent, waitedSeconds: waited };
      }
      if (answers.some((a) => a.answer === 'no_answer')) {
        waited = Math.min(request.maxWaitSeconds, waited + request.agentTimeoutSeconds);
      }
    }
    // Nobody could be rung at all: the caller hears music until the wait runs out.
    if (waited === before) waited = request.maxWaitSeconds;
  }
  return { kind: 'max_wait', waitedSeconds: waited };
}
