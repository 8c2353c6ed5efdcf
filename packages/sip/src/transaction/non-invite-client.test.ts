import { afterEach, describe, expect, it, vi } from 'vitest';
import { type SipResponse } from '../message/index.ts';
import { NonInviteClientTransaction, nonInviteClientTransition } from './non-invite-client.ts';
import { planTimers, DEFAULT_TIMER_SETTINGS } from './timers.ts';
import {
  fakeTimers,
  recordingTransport,
  registerBytes,
  registerOkBytes,
  request,
  response,
} from './test-fixtures.ts';

afterEach(() => {
  vi.useRealTimers();
});

function startRegister(reliable: boolean) {
  const timers = fakeTimers();
  const transport = recordingTransport();
  const sentAt: number[] = [];
  const events: string[] = [];
  const delivered: SipResponse[] = [];
  const transaction = new NonInviteClientTransaction(request(registerBytes), {
    send: (message) => {
      sentAt.push(Date.now());
      transport.send(message);
    },
    timers,
    reliable,
    user: {
      onResponse: (message) => delivered.push(message),
      onTimeout: () => events.push(`timeout@${Date.now()}`),
      onTerminated: () => events.push(`terminated@${Date.now()}`),
    },
  });
  const start = Date.now();
  transaction.start();
  return { transaction, sent: transport.sent, sentAt, events, delivered, start };
}

const trying = registerOkBytes.toString().replace('200 OK', '100 Trying');

describe('non-INVITE client transaction (RFC 3261 §17.1.2)', () => {
  it('caps Timer E at T2 and gives up when Timer F (64*T1) fires', () => {
    const { transaction, sentAt, events, start } = startRegister(false);
    vi.advanceTimersByTime(40_000);
    // §17.1.2.2: E = 500, 1000, 2000, then 4000 (T2) every time.
    const expected = [0, 500, 1_500, 3_500, 7_500, 11_500, 15_500, 19_500, 23_500, 27_500, 31_500];
    expect(sentAt.map((at) => at - start)).toEqual(expected);
    expect(events).toEqual([`timeout@${start + 32_000}`, `terminated@${start + 32_000}`]);
    expect(transaction.state).toBe('terminated');
  });

  it('retransmits every T2 once Proceeding', () => {
    const { transaction, sentAt, start } = startRegister(false);
    vi.advanceTimersByTime(100);
    transaction.receiveResponse(response(Buffer.from(trying)));
    expect(transaction.state).toBe('proceeding');
    vi.advanceTimersByTime(400); // E fires at 500 ms: re-armed with T2, not 1000 ms.
    vi.advanceTimersByTime(8_000);
    expect(sentAt.map((at) => at - start)).toEqual([0, 500, 4_500, 8_500]);
  });

  it('passes a final response up, absorbs its retransmissions, and lingers T4 (Timer K)', () => {
    const { transaction, sent, delivered, events, start } = startRegister(false);
    const ok = response(registerOkBytes);
    transaction.receiveResponse(ok);
    transaction.receiveResponse(ok);
    expect(transaction.state).toBe('completed');
    expect(delivered.map((message) => message.status)).toEqual([200]);
    vi.advanceTimersByTime(5_000);
    expect(events).toEqual([`terminated@${start + 5_000}`]);
    expect(sent).toHaveLength(1);
  });

  it('sends once and terminates on the final response over a reliable transport', () => {
    const { transaction, sent, events } = startRegister(true);
    vi.advanceTimersByTime(20_000);
    transaction.receiveResponse(response(registerOkBytes));
    expect(sent).toHaveLength(1);
    expect(transaction.state).toBe('terminated');
    expect(events).toHaveLength(1);
  });

  it('is a pure transition function: Timer E in Trying doubles its interval', () => {
    const plan = planTimers(DEFAULT_TIMER_SETTINGS, false);
    const step = nonInviteClientTransition(
      { state: 'trying', timerE: 2_000 },
      { kind: 'timer', timer: 'E' },
      { request: request(registerBytes), plan },
    );
    expect(step.snapshot).toEqual({ state: 'trying', timerE: 4_000 });
    expect(step.effects.map((effect) => effect.kind)).toEqual(['send', 'start_timer']);
  });
});
