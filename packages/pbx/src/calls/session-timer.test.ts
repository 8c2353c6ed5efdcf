import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  answer,
  callerInvite,
  callerRequest,
  createHarness,
  forkTarget,
  offer,
  phoneResponse,
  toTagOf,
} from './call-test-harness.ts';
import { parseSessionExpires, sessionRequestHeaders, termsAnswered } from './session-expires.ts';

/** An answered call with session timers on (`seconds`), the callee's 2xx carrying `headers`. */
function answeredCall(
  options: {
    callerHeaders?: string[];
    calleeHeaders?: [string, string][];
    seconds?: number;
  } = {},
) {
  const harness = createHarness();
  const call = harness.startCall(
    callerInvite(offer, options.callerHeaders ?? []),
    [forkTarget('192.0.2.2')],
    60_000,
    3_600_000,
    options.seconds ?? 1800,
  );
  const invite = harness.sentOf('INVITE')[0];
  if (invite === undefined) throw new Error('no fork');
  invite.user.onResponse?.(
    phoneResponse(invite.request, 200, { body: answer, headers: options.calleeHeaders ?? [] }),
  );
  const tag = toTagOf(harness);
  call.acknowledged('caller', callerRequest('ACK', 10, tag));
  return { harness, call, tag };
}

const byeAddresses = (harness: ReturnType<typeof createHarness>) =>
  harness
    .sentOf('BYE')
    .map((entry) => entry.destination.address)
    .sort();

describe('RFC 4028 session timers on a bridged call', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('refreshes the callee with an UPDATE at half the interval when it allows UPDATE', () => {
    const { harness, call } = answeredCall({
      calleeHeaders: [
        ['Session-Expires', '120;refresher=uac'],
        ['Allow', 'INVITE, ACK, BYE, CANCEL, UPDATE'],
      ],
    });
    vi.advanceTimersByTime(59_000);
    expect(harness.sentOf('UPDATE')).toHaveLength(0);
    vi.advanceTimersByTime(1_000);
    const update = harness.sentOf('UPDATE')[0];
    expect(update?.destination.address).toBe('192.0.2.2');
    expect(update?.request.body.length).toBe(0);
    expect(update?.request.headers.get('session-expires')).toBe('120;refresher=uac');
    expect(update?.request.headers.get('supported')).toBe('timer');
    if (update === undefined) throw new Error('no UPDATE');
    update.user.onResponse?.(
      phoneResponse(update.request, 200, { headers: [['Session-Expires', '120;refresher=uac']] }),
    );
    // Refreshed: the next refresh again half an interval later, and the call lives on.
    vi.advanceTimersByTime(60_000);
    expect(harness.sentOf('UPDATE')).toHaveLength(2);
    expect(call.state).toBe('answered');
  });

  it('sends no refreshes to a callee whose 2xx has no Session-Expires (§7.2)', () => {
    const harness = createHarness();
    harness.startCall(callerInvite(), [forkTarget('192.0.2.2')], 60_000, 3_600_000, 1800);
    const invite = harness.sentOf('INVITE')[0];
    if (invite === undefined) throw new Error('no fork');
    invite.user.onResponse?.(phoneResponse(invite.request, 200, { body: answer }));
    vi.advanceTimersByTime(3_000_000);
    expect(harness.sentOf('UPDATE')).toHaveLength(0);
    expect(harness.sentOf('INVITE')).toHaveLength(1);
  });

  it('refreshes with a re-INVITE offering the last SDP sent when UPDATE is not allowed', () => {
    const { harness } = answeredCall({
      calleeHeaders: [
        ['Session-Expires', '90;refresher=uac'],
        ['Allow', 'INVITE, ACK, BYE, CANCEL'],
      ],
    });
    vi.advanceTimersByTime(45_000);
    expect(harness.sentOf('UPDATE')).toHaveLength(0);
    const reinvite = harness.sentOf('INVITE')[1];
    expect(reinvite?.request.body).toEqual(offer);
    expect(reinvite?.request.headers.get('session-expires')).toBe('90;refresher=uac');
    if (reinvite === undefined) throw new Error('no re-INVITE');
    reinvite.user.onResponse?.(
      phoneResponse(reinvite.request, 200, {
        body: answer,
        headers: [['Session-Expires', '90;refresher=uac']],
      }),
    );
    const ack = harness.stateless.at(-1)?.message;
    expect(ack?.kind === 'request' && ack.headers.get('cseq')).toBe('2 ACK');
    // The callee's answer is not relayed to the caller: no request went there.
    expect(harness.sent.filter((entry) => entry.destination.address === '192.0.2.1')).toEqual([]);
  });

  it('tries once more after a refused refresh (491 glare), before the deadline', () => {
    const { harness, call } = answeredCall({
      calleeHeaders: [
        ['Session-Expires', '90;refresher=uac'],
        ['Allow', 'INVITE, ACK, BYE, UPDATE'],
      ],
    });
    vi.advanceTimersByTime(45_000);
    const first = harness.sentOf('UPDATE')[0];
    if (first === undefined) throw new Error('no UPDATE');
    first.user.onResponse?.(phoneResponse(first.request, 491));
    // Halfway between the refresh (45 s) and the deadline (60 s).
    vi.advanceTimersByTime(7_500);
    const second = harness.sentOf('UPDATE')[1];
    if (second === undefined) throw new Error('no second UPDATE');
    second.user.onResponse?.(
      phoneResponse(second.request, 200, { headers: [['Session-Expires', '90;refresher=uac']] }),
    );
    vi.advanceTimersByTime(30_000);
    expect(call.state).toBe('answered');
  });

  it('hangs up both phones when Provod’s refresh times out (§10)', () => {
    const { harness, call } = answeredCall({
      calleeHeaders: [
        ['Session-Expires', '120;refresher=uac'],
        ['Allow', 'INVITE, ACK, BYE, UPDATE'],
      ],
    });
    vi.advanceTimersByTime(60_000);
    harness.sentOf('UPDATE')[0]?.user.onTimeout?.();
    expect(call.state).toBe('ended');
    expect(byeAddresses(harness)).toEqual(['192.0.2.1', '192.0.2.2']);
    expect(harness.ended).toEqual([{ reason: 'session_expired', status: undefined }]);
  });

  it('ends the call when a refreshing caller sends no refresh in time', () => {
    const { harness, call } = answeredCall({
      callerHeaders: ['Supported: timer', 'Session-Expires: 90;refresher=uac'],
    });
    const ok = harness.toCaller.find((response) => response.status === 200);
    expect(ok?.headers.get('session-expires')).toBe('90;refresher=uac');
    expect(ok?.headers.get('require')).toBe('timer');
    // §10: the deadline is 90 s - min(32 s, 30 s) = 60 s.
    vi.advanceTimersByTime(59_000);
    expect(call.state).toBe('answered');
    expect(harness.sentOf('UPDATE')).toHaveLength(0);
    vi.advanceTimersByTime(1_000);
    expect(call.state).toBe('ended');
    expect(byeAddresses(harness)).toEqual(['192.0.2.1', '192.0.2.2']);
    expect(harness.ended[0]?.reason).toBe('session_expired');
  });

  it('answers an SDP-less UPDATE refresh itself, and it keeps the call alive', () => {
    const { harness, call, tag } = answeredCall({
      callerHeaders: ['Supported: timer', 'Session-Expires: 90;refresher=uac'],
    });
    vi.advanceTimersByTime(45_000);
    const responses: { status: number; se: string | undefined }[] = [];
    const refresh = callerRequest('UPDATE', 11, tag, undefined, [
      'Supported: timer',
      'Session-Expires: 90;refresher=uac',
    ]);
    call.inDialogRequest('caller', refresh, (r) =>
      responses.push({ status: r.status, se: r.headers.get('session-expires') }),
    );
    expect(responses).toEqual([{ status: 200, se: '90;refresher=uac' }]);
    expect(harness.sentOf('UPDATE')).toHaveLength(0);
    vi.advanceTimersByTime(59_000);
    expect(call.state).toBe('answered');
    vi.advanceTimersByTime(1_000);
    expect(harness.ended[0]?.reason).toBe('session_expired');
  });

  it('answers an offerless re-INVITE refresh with the SDP the phone last got', () => {
    const { harness, call, tag } = answeredCall({
      callerHeaders: ['Supported: timer', 'Session-Expires: 1800'],
    });
    const responses: { status: number; body: string; se: string | undefined }[] = [];
    call.inDialogRequest(
      'caller',
      callerRequest('INVITE', 11, tag, undefined, ['Supported: timer', 'Session-Expires: 1800']),
      (r) =>
        responses.push({
          status: r.status,
          body: r.body.toString(),
          se: r.headers.get('session-expires'),
        }),
    );
    // No refresher named: Provod refreshes (uas in the phone's transaction).
    expect(responses).toEqual([{ status: 200, body: answer.toString(), se: '1800;refresher=uas' }]);
    expect(harness.sentOf('INVITE')).toHaveLength(1);
    call.acknowledged('caller', callerRequest('ACK', 11, tag, offer));
    expect(harness.stateless.filter((entry) => entry.message.kind === 'response')).toHaveLength(0);
  });

  it('still relays a re-INVITE with SDP, with each leg’s own Session-Expires', () => {
    const { harness, call, tag } = answeredCall({
      callerHeaders: ['Supported: timer', 'Session-Expires: 600;refresher=uac'],
      calleeHeaders: [['Session-Expires', '1800;refresher=uac']],
    });
    const hold = Buffer.concat([offer, Buffer.from('a=sendonly\r\n')]);
    const statuses: (string | undefined)[] = [];
    call.inDialogRequest(
      'caller',
      callerRequest('INVITE', 11, tag, hold, ['Supported: timer', 'Session-Expires: 600']),
      (r) => statuses.push(`${r.status} ${r.headers.get('session-expires') ?? ''}`),
    );
    const reinvite = harness.sentOf('INVITE')[1];
    expect(reinvite?.request.body).toEqual(hold);
    expect(reinvite?.request.headers.get('session-expires')).toBe('1800;refresher=uac');
    if (reinvite === undefined) throw new Error('no relayed re-INVITE');
    reinvite.user.onResponse?.(phoneResponse(reinvite.request, 200, { body: answer }));
    // A refresh naming no refresher lets the UAS choose (§9): Provod refreshes from now on.
    expect(statuses).toEqual(['200 600;refresher=uas']);
  });

  it('refuses a too-small Session-Expires with 422 and Min-SE, without ringing anyone', () => {
    const harness = createHarness();
    const invite = callerInvite(offer, ['Supported: timer', 'Session-Expires: 60']);
    const call = harness.startCall(invite, [forkTarget('192.0.2.2')], 60_000, 3_600_000, 1800);
    const refusal = harness.toCaller[0];
    expect(refusal?.status).toBe(422);
    expect(refusal?.headers.get('min-se')).toBe('90');
    expect(harness.sentOf('INVITE')).toHaveLength(0);
    expect(call.state).toBe('ended');
    expect(harness.ended).toEqual([{ reason: 'failed', status: 422 }]);
    expect(harness.media.closed).toBe(1);
  });

  it('raises a too-small interval from a phone without timer support, and refreshes it', () => {
    const { harness } = answeredCall({ callerHeaders: ['Session-Expires: 60'] });
    const ok = harness.toCaller.find((response) => response.status === 200);
    expect(ok?.headers.get('session-expires')).toBe('90;refresher=uas');
    expect(ok?.headers.get('require')).toBeUndefined();
    vi.advanceTimersByTime(45_000);
    const refresh = harness
      .sentOf('INVITE')
      .find((entry) => entry.destination.address === '192.0.2.1');
    expect(refresh?.request.body).toEqual(answer);
  });

  it('answers a malformed Session-Expires 400', () => {
    const harness = createHarness();
    const invite = callerInvite(offer, ['Supported: timer', 'Session-Expires: soon']);
    harness.startCall(invite, [forkTarget('192.0.2.2')], 60_000, 3_600_000, 1800);
    expect(harness.statusesToCaller()).toEqual([400]);
    expect(harness.sentOf('INVITE')).toHaveLength(0);
  });

  it('adds no session timer headers when timers are off', () => {
    const { harness } = answeredCall({
      callerHeaders: ['Supported: timer', 'Session-Expires: 60'],
      seconds: 0,
    });
    const ok = harness.toCaller.find((response) => response.status === 200);
    expect(ok?.headers.get('session-expires')).toBeUndefined();
    vi.advanceTimersByTime(600_000);
    expect(harness.ended).toEqual([]);
  });
});

describe('the Session-Expires header (RFC 4028 §4)', () => {
  it('reads the delta-seconds and the refresher of the RFC’s examples', () => {
    expect(parseSessionExpires('4000;refresher=uac')).toEqual({ seconds: 4000, refresher: 'uac' });
    expect(parseSessionExpires('480')).toEqual({ seconds: 480, refresher: undefined });
    expect(parseSessionExpires(' 1800 ; refresher = UAS ; x=1')).toEqual({
      seconds: 1800,
      refresher: 'uas',
    });
  });

  it('rejects values that are not delta-seconds or an unknown refresher', () => {
    for (const bad of ['', 'soon', '-5', '1.5', '90;refresher=proxy', '99999999999']) {
      expect(parseSessionExpires(bad)).toBeUndefined();
    }
  });

  it('reads a 2xx’s refresher from the UAC’s side, and no header as no timer (§7.2)', () => {
    const response = (value: string | undefined) => {
      const invite = callerInvite();
      return phoneResponse(invite, 200, {
        headers: value === undefined ? [] : [['Session-Expires', value]],
      });
    };
    expect(termsAnswered(response('1800;refresher=uac'))).toEqual({
      seconds: 1800,
      refresher: 'provod',
    });
    expect(termsAnswered(response('600;refresher=uas'))).toEqual({
      seconds: 600,
      refresher: 'phone',
    });
    expect(termsAnswered(response(undefined))).toBeUndefined();
    expect(termsAnswered(response('never'))).toBeUndefined();
  });

  it('writes the offer of Provod’s own requests', () => {
    expect(sessionRequestHeaders({ seconds: 1800, refresher: 'provod' })).toEqual([
      ['Supported', 'timer'],
      ['Session-Expires', '1800;refresher=uac'],
    ]);
    expect(sessionRequestHeaders(undefined)).toEqual([]);
  });
});
