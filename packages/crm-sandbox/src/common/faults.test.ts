import { describe, expect, it } from 'vitest';
import { FaultPlan } from './faults.ts';

describe('FaultPlan', () => {
  it('applies a counted fault to matching paths only, then stops', () => {
    const plan = new FaultPlan();
    plan.add({ pathPrefix: '/api/v4/calls', fault: { kind: 'status', status: 502 }, remaining: 2 });
    expect(plan.take('/api/v4/contacts')).toBeUndefined();
    expect(plan.take('/api/v4/calls')).toEqual({ kind: 'status', status: 502 });
    expect(plan.take('/api/v4/calls')).toEqual({ kind: 'status', status: 502 });
    expect(plan.take('/api/v4/calls')).toBeUndefined();
  });

  it('keeps an uncounted fault until cleared, first rule first', () => {
    const plan = new FaultPlan();
    plan.add({ pathPrefix: '', fault: { kind: 'rate_limited' } });
    plan.add({ pathPrefix: '', fault: { kind: 'hang' } });
    expect(plan.take('/rest/user.get')).toEqual({ kind: 'rate_limited' });
    expect(plan.take('/rest/user.get')).toEqual({ kind: 'rate_limited' });
    plan.clear();
    expect(plan.take('/rest/user.get')).toBeUndefined();
    expect(plan.list()).toEqual([]);
  });
});
