import { describe, expect, it } from 'vitest';
import { at, makeFixture } from './test-fixture.ts';

describe('Bitrix24 sandbox: batch', () => {
  it('runs commands in order, substitutes $result[…] and reports a failing one in result_error', async () => {
    const { rest, sandbox } = makeFixture();
    const reply = await rest('batch', {
      cmd: {
        contact: 'crm.contact.add?fields[NAME]=Ivan&fields[PHONE][0][VALUE]=79001234567',
        again: 'crm.contact.get?id=$result[contact]',
        broken: 'crm.contact.get?id=999',
        users: 'user.get?FILTER[UF_PHONE_INNER]=101',
      },
    });
    expect(reply.status).toBe(200);
    expect(at(reply.body, 'result', 'result', 'again', 'NAME')).toBe('Ivan');
    expect(at(reply.body, 'result', 'result_error')).toEqual({
      broken: { error: '', error_description: 'Not found' },
    });
    expect(at(reply.body, 'result', 'result_total')).toEqual({ users: 1 });
    expect(at(reply.body, 'result', 'result_next')).toEqual([]);
    expect(sandbox.store.contacts.size).toBe(1);
  });

  it('stops at the first error with halt=1 and refuses nested batch and webhook telephony', async () => {
    const { rest, get } = makeFixture();
    const halted = await rest('batch', {
      halt: 1,
      cmd: ['crm.contact.get?id=5', 'crm.contact.add?fields[NAME]=x'],
    });
    expect(at(halted.body, 'result', 'result')).toEqual([]);
    expect(at(halted.body, 'result', 'result_error', '0', 'error_description')).toBe('Not found');
    const nested = await rest('batch', {
      cmd: { inner: 'batch?cmd[a]=user.get', nope: 'no.such.method' },
    });
    expect(at(nested.body, 'result', 'result_error')).toEqual({
      inner: {
        error: 'ERROR_BATCH_METHOD_NOT_ALLOWED',
        error_description: 'Method is not allowed for batch usage',
      },
      nope: { error: 'ERROR_METHOD_NOT_FOUND', error_description: 'Method not found!' },
    });
    const viaHook = await get(
      `/rest/1/hookcode123/batch?cmd[t]=${encodeURIComponent('telephony.externalLine.get')}`,
    );
    expect(at(viaHook.body, 'result', 'result_error', 't', 'error')).toBe('WRONG_AUTH_TYPE');
  });

  it('runs at most 50 commands and fails the rest with ERROR_BATCH_LENGTH_EXCEEDED', async () => {
    const { rest } = makeFixture();
    const cmd = Array.from({ length: 52 }, () => 'user.get?ID=1');
    const reply = await rest('batch', { cmd });
    expect(
      Object.keys((at(reply.body, 'result', 'result') as unknown[] | undefined) ?? {}),
    ).toHaveLength(50);
    expect(
      Object.keys((at(reply.body, 'result', 'result_error') as object | undefined) ?? {}),
    ).toEqual(['50', '51']);
  });
});
