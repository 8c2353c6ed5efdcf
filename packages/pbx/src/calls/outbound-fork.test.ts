import { createSystemTimers, type SipRequest, type SipResponse } from '@provod/sip';
import { describe, expect, it } from 'vitest';
import { forkTarget, phoneResponse } from './call-test-harness.ts';
import { OutboundFork } from './outbound-fork.ts';
import type { SentRequest } from './call-test-harness.ts';
import type { SipNetwork } from './sip-network.ts';

function recordingNetwork() {
  const sent: SentRequest[] = [];
  const network: SipNetwork = {
    sendRequest: (request, destination, user) => sent.push({ request, destination, user }),
    sendStateless: () => undefined,
    via: () => `SIP/2.0/UDP 198.51.100.1:5060;branch=z9hG4bKfork${sent.length}`,
    contactUri: () => 'sip:provod@198.51.100.1:5060',
    timers: createSystemTimers(),
    t1: 500,
    t2: 4000,
  };
  return { sent, network };
}

function challenge(request: SipRequest, status: 401 | 407): SipResponse {
  const name = status === 407 ? 'Proxy-Authenticate' : 'WWW-Authenticate';
  return phoneResponse(request, status, {
    headers: [[name, 'Digest realm="carrier.example", nonce="n1", qop="auth"']],
  });
}

describe('a fork to a trunk answering its carrier’s challenge', () => {
  it.each([401, 407] as const)('sends the INVITE again with credentials after a %i', (status) => {
    const { sent, network } = recordingNetwork();
    const failures: number[] = [];
    const target = forkTarget('192.0.2.9');
    const fork = new OutboundFork(
      target.invite,
      target.destination,
      network,
      {
        onProvisional: () => undefined,
        onAnswered: () => undefined,
        onFailed: (_fork, response) => failures.push(response.status),
      },
      { username: 'trunk', password: 'secret' },
    );
    fork.start();
    const first = sent[0];
    if (first === undefined) throw new Error('nothing sent');
    first.user.onResponse?.(challenge(first.request, status));
    expect(sent).toHaveLength(2);
    const again = sent[1]?.request;
    const header = status === 407 ? 'proxy-authorization' : 'authorization';
    expect(again?.headers.get(header)).toMatch(/^Digest username="trunk", realm="carrier.example"/);
    expect(again?.headers.get('cseq')).toBe('2 INVITE');
    expect(again?.headers.get('call-id')).toBe(first.request.headers.get('call-id'));
    expect(again?.headers.get('from')).toBe(first.request.headers.get('from'));
    expect(again?.headers.get('via')).not.toBe(first.request.headers.get('via'));
    expect(fork.invite).toBe(again);
    // Wrong credentials: the second challenge is the carrier's answer, not asked again.
    sent[1]?.user.onResponse?.(challenge(sent[1].request, status));
    expect(sent).toHaveLength(2);
    expect(failures).toEqual([status]);
  });

  it('fails on a challenge when it has no account (a phone asking for one)', () => {
    const { sent, network } = recordingNetwork();
    const failures: number[] = [];
    const target = forkTarget('192.0.2.9');
    const fork = new OutboundFork(target.invite, target.destination, network, {
      onProvisional: () => undefined,
      onAnswered: () => undefined,
      onFailed: (_fork, response) => failures.push(response.status),
    });
    fork.start();
    sent[0]?.user.onResponse?.(challenge(target.invite, 401));
    expect(sent).toHaveLength(1);
    expect(failures).toEqual([401]);
  });
});
