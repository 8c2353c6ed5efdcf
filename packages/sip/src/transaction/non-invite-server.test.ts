import { afterEach, describe, expect, it, vi } from 'vitest';
import { NonInviteServerTransaction } from './non-invite-server.ts';
import {
  fakeTimers,
  recordingTransport,
  registerBytes,
  registerOkBytes,
  request,
  response,
  startLines,
} from './test-fixtures.ts';

afterEach(() => {
  vi.useRealTimers();
});

function receiveRegister(reliable: boolean) {
  const timers = fakeTimers();
  const transport = recordingTransport();
  const events: string[] = [];
  const start = Date.now();
  const transaction = new NonInviteServerTransaction(request(registerBytes), {
    send: transport.send,
    timers,
    reliable,
    user: {
      onTransportError: () => events.push('transport_error'),
      onTerminated: () => events.push(`terminated@${Date.now() - start}`),
    },
  });
  return { transaction, sent: transport.sent, events };
}

const trying = response(Buffer.from(registerOkBytes.toString().replace('200 OK', '100 Trying')));

describe('non-INVITE server transaction (RFC 3261 §17.2.2)', () => {
  it('absorbs retransmissions while Trying and answers them once it has a response', () => {
    const { transaction, sent } = receiveRegister(false);
    transaction.receiveRequest();
    expect(sent).toHaveLength(0);
    transaction.respond(trying);
    transaction.receiveRequest();
    expect(transaction.state).toBe('proceeding');
    transaction.respond(response(registerOkBytes));
    transaction.receiveRequest();
    expect(startLines(sent)).toEqual(['100', '100', '200', '200']);
    expect(transaction.state).toBe('completed');
  });

  it('stays Completed for Timer J (64*T1) over UDP', () => {
    const { transaction, events } = receiveRegister(false);
    transaction.respond(response(registerOkBytes));
    vi.advanceTimersByTime(31_999);
    expect(events).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(events).toEqual(['terminated@32000']);
  });

  it('terminates at once over a reliable transport (Timer J is zero)', () => {
    const { transaction, events } = receiveRegister(true);
    transaction.respond(response(registerOkBytes));
    expect(events).toEqual(['terminated@0']);
  });

  it('reports a transport failure to the TU (§17.2.4)', () => {
    const { transaction, events } = receiveRegister(false);
    transaction.transportError(new Error('ICMP port unreachable'));
    expect(events).toEqual(['transport_error', 'terminated@0']);
    expect(() => transaction.respond(response(registerOkBytes))).toThrowError(
      expect.objectContaining({ code: 'final_response_already_sent' }),
    );
  });
});
