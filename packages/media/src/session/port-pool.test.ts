import { describe, expect, it } from 'vitest';
import { RtpPortPool } from './port-pool.ts';
import { isRtpSessionError } from './session-error.ts';

describe('RtpPortPool (RFC 3550 §11: even RTP port, RTCP on the next)', () => {
  it('hands out even ports round the range and none twice', () => {
    const pool = new RtpPortPool({ min: 10001, max: 10008 });
    expect(pool.capacity).toBe(3);
    expect([pool.reserve(), pool.reserve(), pool.reserve()]).toEqual([10002, 10004, 10006]);
    expect(pool.reserve()).toBeNull();
    pool.release(10004);
    expect(pool.allocated).toBe(2);
    expect(pool.reserve()).toBe(10004);
  });

  it('does not reuse a just-released port while others are free', () => {
    const pool = new RtpPortPool({ min: 20000, max: 20007 });
    const first = pool.reserve();
    if (first !== null) pool.release(first);
    expect(pool.reserve()).toBe(20002);
  });

  it('rejects a range that holds no pair', () => {
    for (const range of [
      { min: 5000, max: 5000 },
      { min: 5001, max: 5002 },
      { min: 0, max: 10 },
      { min: 65534, max: 65536 },
    ]) {
      let caught: unknown;
      try {
        new RtpPortPool(range);
      } catch (error) {
        caught = error;
      }
      expect(isRtpSessionError(caught) && caught.code).toBe('bad_port_range');
    }
  });
});
