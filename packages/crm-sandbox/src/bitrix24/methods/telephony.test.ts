import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../params.ts';
import { at, makeFixture, text, webhookPath, type Fixture } from '../test-fixture.ts';

/** telephony.externalCall.register through the application's token; answers the CALL_ID. */
async function registerCall(rest: Fixture['rest'], params: JsonObject): Promise<string> {
  return text(
    at((await rest('telephony.externalCall.register', params)).body, 'result', 'CALL_ID'),
  );
}

/** A 5-second outgoing call of user 1, registered and finished (attachRecord's precondition). */
async function finishedOutgoingCall(rest: Fixture['rest']): Promise<string> {
  const callId = await registerCall(rest, { USER_ID: 1, PHONE_NUMBER: '79001234567', TYPE: 1 });
  await rest('telephony.externalCall.finish', { CALL_ID: callId, USER_ID: 1, DURATION: 5 });
  return callId;
}

describe('Bitrix24 sandbox: telephony.externalLine.* and externalCall.*', () => {
  it('adds and lists external lines; refuses an empty or duplicate NUMBER', async () => {
    const { rest } = makeFixture();
    expect(
      (await rest('telephony.externalLine.add', { NUMBER: '74951234567', NAME: 'Main' })).body,
    ).toMatchObject({ result: { ID: 1 } });
    expect(
      (await rest('telephony.externalLine.add', { NUMBER: '74951234567' })).body,
    ).toMatchObject({ error: 'ERROR_CORE', error_description: 'Line already exists' });
    expect((await rest('telephony.externalLine.add', {})).status).toBe(400);
    expect(at((await rest('telephony.externalLine.get')).body, 'result')).toEqual([
      { NUMBER: '74951234567', NAME: 'Main', CRM_AUTO_CREATE: 'Y' },
    ]);
  });

  it('refuses webhook authorization with WRONG_AUTH_TYPE (CRM-FACTS #8)', async () => {
    const { form } = makeFixture();
    const reply = await form(
      `${webhookPath}/telephony.externalcall.register.json`,
      'USER_ID=1&PHONE_NUMBER=79001234567&TYPE=2',
    );
    expect(reply).toEqual({
      status: 403,
      body: {
        error: 'WRONG_AUTH_TYPE',
        error_description: 'Current authorization type is denied for this method',
      },
    });
  });

  it('registers a form-encoded call bound to the contact with that phone', async () => {
    const { form, token, sandbox } = makeFixture();
    const contact = sandbox.seedContact({
      NAME: 'Ivan',
      PHONE: [{ VALUE: '+7 (900) 123-45-67', VALUE_TYPE: 'WORK' }],
    });
    const reply = await form(
      '/rest/telephony.externalCall.register',
      `auth=${token}&USER_PHONE_INNER=102&PHONE_NUMBER=79001234567&TYPE=2&LINE_NUMBER=3&EXTERNAL_CALL_ID=a-1&CALL_START_DATE=2026-03-10T11%3A19%3A38%2B03%3A00`,
    );
    expect(reply.status).toBe(200);
    expect(at(reply.body, 'result')).toMatchObject({
      CRM_ENTITY_TYPE: 'CONTACT',
      CRM_ENTITY_ID: contact.ID,
      CRM_CREATED_LEAD: null,
      CRM_CREATED_ENTITIES: [],
    });
    expect(text(at(reply.body, 'result', 'CALL_ID'))).toMatch(/^externalCall\.[0-9a-f]{32}\.\d+$/);
    expect(at(reply.body, 'time', 'date_start')).toBe('2026-03-10T08:00:00+00:00');
    const call = sandbox.store.calls.get(text(at(reply.body, 'result', 'CALL_ID')));
    expect(call).toMatchObject({ userId: 2, type: 2, state: 'registered', shownTo: [2] });
  });

  it('returns the same CALL_ID for the same parameters within 30 minutes, a new one after', async () => {
    const { rest, sandbox } = makeFixture();
    const params = { USER_ID: 1, PHONE_NUMBER: '79001234567', TYPE: 2 };
    const first = await registerCall(rest, params);
    sandbox.clock.advance(29 * 60_000);
    expect(await registerCall(rest, params)).toBe(first);
    const other = await rest('telephony.externalCall.register', {
      ...params,
      EXTERNAL_CALL_ID: 'unique-2',
    });
    expect(at(other.body, 'result', 'CALL_ID')).not.toBe(first);
    sandbox.clock.advance(2 * 60_000);
    expect(await registerCall(rest, params)).not.toBe(first);
  });

  it('creates a lead only with CRM_CREATE=1', async () => {
    const { rest, sandbox } = makeFixture();
    const without = await rest('telephony.externalCall.register', {
      USER_ID: 1,
      PHONE_NUMBER: '79005550000',
      TYPE: 2,
    });
    expect(at(without.body, 'result')).toMatchObject({
      CRM_ENTITY_TYPE: null,
      CRM_CREATED_LEAD: null,
    });
    const withCreate = await rest('telephony.externalCall.register', {
      USER_ID: 1,
      PHONE_NUMBER: '79005550001',
      TYPE: 2,
      CRM_CREATE: 1,
    });
    expect(at(withCreate.body, 'result')).toMatchObject({
      CRM_ENTITY_TYPE: 'LEAD',
      CRM_CREATED_LEAD: 1,
      CRM_CREATED_ENTITIES: [{ ENTITY_TYPE: 'LEAD', ENTITY_ID: 1 }],
    });
    expect(sandbox.store.leads.get(1)?.PHONE[0]?.VALUE).toBe('79005550001');
  });

  it.each([
    [{ PHONE_NUMBER: '79001234567', TYPE: 2 }, 'USER_ID or USER_PHONE_INNER should be set'],
    [{ USER_ID: 1, PHONE_NUMBER: '79001234567', TYPE: 9 }, 'Unknown TYPE'],
    [{ USER_ID: 1, PHONE_NUMBER: 'call me', TYPE: 2 }, 'Unsupported phone number format'],
    [
      { USER_ID: 1, PHONE_NUMBER: '7900', TYPE: 2, CALL_START_DATE: '10.03.2026' },
      'CALL_START_DATE should be in the ISO-8601 format',
    ],
    [{ USER_ID: 3, PHONE_NUMBER: '79001234567', TYPE: 2 }, 'User is not found or is not active'],
    [
      { USER_PHONE_INNER: '999', PHONE_NUMBER: '79001234567', TYPE: 2 },
      'User is not found or is not active',
    ],
  ])('refuses register with %j', async (params, description) => {
    const { rest } = makeFixture();
    expect(await rest('telephony.externalCall.register', params)).toEqual({
      status: 400,
      body: { error: 'ERROR_CORE', error_description: description },
    });
  });

  it('finishes a call, then attaches an mp3 record; refuses a second finish', async () => {
    const { rest, sandbox } = makeFixture();
    sandbox.seedContact({ PHONE: [{ VALUE: '79001234567' }] });
    const callId = await registerCall(rest, {
      USER_ID: 1,
      PHONE_NUMBER: '79001234567',
      TYPE: 2,
      LINE_NUMBER: '3',
    });
    const before = await rest('telephony.externalCall.attachRecord', {
      CALL_ID: callId,
      FILENAME: 'call.mp3',
      FILE_CONTENT: 'SUQzAwAAAAAiVVRJVDI=',
    });
    expect(before.body).toEqual({
      error: 'ERROR_CORE',
      error_description:
        'Call is not found in the statistic table. It looks like it is not finished yet.',
    });

    const finished = await rest('telephony.externalCall.finish', {
      CALL_ID: callId,
      USER_ID: 1,
      DURATION: 42,
    });
    expect(at(finished.body, 'result')).toMatchObject({
      CALL_ID: callId,
      CALL_DURATION: 42,
      CALL_FAILED_CODE: '200',
      CALL_STATUS: 1,
      PORTAL_NUMBER: '3',
      INCOMING: '2',
      CRM_ENTITY_TYPE: 'CONTACT',
      CRM_ACTIVITY_ID: 1,
    });
    expect(sandbox.store.activities).toHaveLength(1);
    expect(
      at(
        (await rest('telephony.externalCall.finish', { CALL_ID: callId, USER_ID: 1 })).body,
        'error_description',
      ),
    ).toBe('Call is not found (call should be registered prior to finishing)');

    const attached = await rest('telephony.externalCall.attachRecord', {
      CALL_ID: callId,
      FILENAME: 'call.mp3',
      FILE_CONTENT: 'SUQzAwAAAAAiVVRJVDI=',
    });
    expect(attached.body).toMatchObject({ result: { FILE_ID: 1 } });
    expect(sandbox.store.calls.get(callId)?.records).toEqual([
      { FILE_ID: 1, filename: 'call.mp3', bytes: 14, url: null },
    ]);
  });

  it('defaults STATUS_CODE to 304 for a zero-length call and checks finish arguments', async () => {
    const { rest } = makeFixture();
    const callId = await registerCall(rest, { USER_ID: 1, PHONE_NUMBER: '79001234567', TYPE: 2 });
    expect((await rest('telephony.externalCall.finish', { USER_ID: 1 })).body).toEqual({
      error: 'INVALID_ARGUMENT',
      error_description: 'CALL_ID must be a string',
    });
    expect(
      at(
        (await rest('telephony.externalCall.finish', { CALL_ID: callId })).body,
        'error_description',
      ),
    ).toBe('USER_ID or USER_PHONE_INNER should be set');
    const missed = await rest('telephony.externalCall.finish', {
      CALL_ID: callId,
      USER_PHONE_INNER: '101',
    });
    expect(at(missed.body, 'result')).toMatchObject({
      CALL_FAILED_CODE: '304',
      CALL_STATUS: 0,
      CRM_ACTIVITY_ID: null,
    });
  });

  it.each([
    [
      { FILENAME: 'call.ogg', FILE_CONTENT: 'AAAA' },
      'Wrong file extension. Only wav and mp3 are allowed',
    ],
    [{ FILENAME: 'call.wav', FILE_CONTENT: '' }, 'File content is empty.'],
    [
      { FILENAME: 'call.wav', FILE_CONTENT: 'not base64!' },
      'File content is not properly encoded. Base64 encoding is expected.',
    ],
    [{ FILENAME: '' }, 'File name is empty'],
    [
      {},
      'Required parameters are not set. Request should contain either URL or FILENAME parameter',
    ],
    [
      { RECORD_URL: 'https://pbx.example/rec/1.flac' },
      'Wrong file extension. Only wav and mp3 are allowed',
    ],
  ])('refuses attachRecord %j after finish', async (extra, description) => {
    const { rest } = makeFixture();
    const callId = await finishedOutgoingCall(rest);
    expect(
      await rest('telephony.externalCall.attachRecord', { CALL_ID: callId, ...extra }),
    ).toEqual({ status: 400, body: { error: 'ERROR_CORE', error_description: description } });
  });

  it('accepts RECORD_URL and returns an upload URL for FILENAME alone', async () => {
    const { rest, sandbox } = makeFixture();
    const callId = await finishedOutgoingCall(rest);
    expect(
      at(
        (
          await rest('telephony.externalCall.attachRecord', {
            CALL_ID: callId,
            RECORD_URL: 'https://pbx.example/rec/1.wav',
          })
        ).body,
        'result',
        'FILE_ID',
      ),
    ).toBe(1);
    expect(sandbox.store.calls.get(callId)?.records[0]).toMatchObject({
      filename: '1.wav',
      url: 'https://pbx.example/rec/1.wav',
    });
    expect(
      at(
        (await rest('telephony.externalCall.attachRecord', { CALL_ID: callId, FILENAME: 'x.mp3' }))
          .body,
        'result',
        'fieldName',
      ),
    ).toBe('file');
  });

  it('shows and hides the card; unknown CALL_ID gives false', async () => {
    const { rest, sandbox } = makeFixture();
    const callId = await registerCall(rest, {
      USER_ID: 1,
      PHONE_NUMBER: '79001234567',
      TYPE: 2,
      SHOW: 0,
    });
    expect(sandbox.store.calls.get(callId)?.shownTo).toEqual([]);
    expect(
      at(
        (await rest('telephony.externalCall.show', { CALL_ID: callId, USER_ID: [1, 2] })).body,
        'result',
      ),
    ).toBe(true);
    expect(sandbox.store.calls.get(callId)?.shownTo).toEqual([1, 2]);
    await rest('telephony.externalCall.hide', { CALL_ID: callId, USER_ID: 1 });
    expect(sandbox.store.calls.get(callId)?.shownTo).toEqual([2]);
    expect(
      at(
        (await rest('telephony.externalCall.hide', { CALL_ID: 'externalCall.nope' })).body,
        'result',
      ),
    ).toBe(false);
  });
});
