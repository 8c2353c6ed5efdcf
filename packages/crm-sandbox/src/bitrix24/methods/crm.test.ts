import { describe, expect, it } from 'vitest';
import { at, makeFixture } from '../test-fixture.ts';

describe('Bitrix24 sandbox: crm.*, user.get, tasks.task.add, im.notify', () => {
  it('adds a contact from a PHP-bracket form, gets, updates and lists it by exact phone', async () => {
    const { form, rest, token } = makeFixture();
    const added = await form(
      '/rest/crm.contact.add.json',
      `auth=${token}&FIELDS[NAME]=Ivan&FIELDS[PHONE][0][VALUE]=%2B79001234567&FIELDS[PHONE][0][VALUE_TYPE]=WORK`,
    );
    expect(added.body).toMatchObject({ result: 1 });
    expect(at((await rest('crm.contact.get', { id: 1 })).body, 'result')).toMatchObject({
      ID: '1',
      NAME: 'Ivan',
      HAS_PHONE: 'Y',
      PHONE: [{ ID: '1', VALUE: '+79001234567', VALUE_TYPE: 'WORK', TYPE_ID: 'PHONE' }],
    });

    // Multifield update: change by ID, add without ID (crm-contact-update.md).
    await rest('crm.contact.update', {
      id: 1,
      fields: {
        PHONE: [
          { ID: 1, VALUE: '+79001234568' },
          { VALUE: '84951112233', VALUE_TYPE: 'HOME' },
        ],
      },
    });
    const exact = await rest('crm.contact.list', {
      filter: { PHONE: '84951112233' },
      select: ['ID', 'NAME', 'PHONE'],
    });
    expect(exact.body).toMatchObject({ result: [{ ID: '1', NAME: 'Ivan' }], total: 1 });
    // Only the exact string matches: no normalisation (CRM-FACTS #12).
    expect(
      (await rest('crm.contact.list', { filter: { PHONE: '+7 495 111-22-33' } })).body,
    ).toMatchObject({ result: [], total: 0 });
    await rest('crm.contact.update', { id: 1, fields: { PHONE: [{ ID: 2, DELETE: 'Y' }] } });
    expect(
      (await rest('crm.contact.list', { filter: { PHONE: '84951112233' } })).body,
    ).toMatchObject({ total: 0 });
  });

  it('pages contact lists by 50 with next/total', async () => {
    const { rest, sandbox } = makeFixture();
    for (let i = 0; i < 51; i++) sandbox.seedContact({ NAME: `C${i}` });
    const first = await rest('crm.contact.list', { order: { ID: 'ASC' } });
    expect(first.body).toMatchObject({ next: 50, total: 51 });
    const second = await rest('crm.contact.list', { start: 50 });
    expect(at(second.body, 'result', 0, 'NAME')).toBe('C50');
    expect(at(second.body, 'next')).toBeUndefined();
  });

  it('answers the documented argument errors', async () => {
    const { rest } = makeFixture();
    expect(await rest('crm.contact.add', { fields: 'x' })).toEqual({
      status: 400,
      body: { error: '', error_description: "Parameter 'fields' must be array." },
    });
    expect(at((await rest('crm.contact.get', {})).body, 'error_description')).toBe(
      'ID is not defined or invalid.',
    );
    expect(at((await rest('crm.contact.get', { id: 77 })).body, 'error_description')).toBe(
      'Not found',
    );
    expect(
      at((await rest('crm.contact.update', { id: 77, fields: {} })).body, 'error_description'),
    ).toBe('Contact is not found');
    expect(at((await rest('crm.contact.list', { filter: 'x' })).body, 'error_description')).toBe(
      "Parameter 'filter' must be array.",
    );
  });

  it('finds duplicates by phone digits and refuses bad requests', async () => {
    const { rest, sandbox } = makeFixture();
    sandbox.seedContact({ PHONE: [{ VALUE: '+7 (900) 123-45-67' }] });
    await rest('crm.lead.add', { fields: { TITLE: 'Lead', PHONE: [{ VALUE: '79001234567' }] } });
    expect(
      at(
        (await rest('crm.duplicate.findbycomm', { type: 'PHONE', values: ['+79001234567'] })).body,
        'result',
      ),
    ).toEqual({ LEAD: [1], CONTACT: [1] });
    expect(
      at(
        (
          await rest('crm.duplicate.findbycomm', {
            TYPE: 'PHONE',
            VALUES: ['79001234567'],
            ENTITY_TYPE: 'CONTACT',
          })
        ).body,
        'result',
      ),
    ).toEqual({ CONTACT: [1] });
    expect(
      at(
        (await rest('crm.duplicate.findbycomm', { type: 'PHONE', values: ['111'] })).body,
        'result',
      ),
    ).toEqual([]);
    expect((await rest('crm.duplicate.findbycomm', { values: ['1'] })).body).toEqual({
      error: 'Communication type is not defined',
      error_description: "Parameter 'type' is required.",
    });
    expect(
      at((await rest('crm.duplicate.findbycomm', { type: 'FAX', values: ['1'] })).body, 'error'),
    ).toBe("Communication type 'FAX' is not supported in current context");
    expect(at((await rest('crm.duplicate.findbycomm', { type: 'PHONE' })).body, 'error')).toBe(
      'Communication values is not defined',
    );
    const tooMany = Array.from({ length: 21 }, (_, i) => `7900000000${i}`);
    expect(
      (await rest('crm.duplicate.findbycomm', { type: 'PHONE', values: tooMany })).status,
    ).toBe(400);
  });

  it('filters user.get by UF_PHONE_INNER and ACTIVE', async () => {
    const { rest } = makeFixture();
    expect((await rest('user.get', { FILTER: { UF_PHONE_INNER: '102' } })).body).toMatchObject({
      result: [{ ID: '2', NAME: 'Boris' }],
      total: 1,
    });
    expect(at((await rest('user.get', { ACTIVE: true })).body, 'total')).toBe(2);
    expect(at((await rest('user.get', { FILTER: { UF_PHONE_INNER: '555' } })).body, 'total')).toBe(
      0,
    );
  });

  it('adds tasks and refuses missing fields', async () => {
    const { rest, sandbox } = makeFixture();
    const added = await rest('tasks.task.add', {
      fields: { TITLE: 'Call back', RESPONSIBLE_ID: 2, DEADLINE: '2026-03-11T10:00:00+03:00' },
    });
    expect(at(added.body, 'result', 'task')).toMatchObject({
      id: '1',
      title: 'Call back',
      responsibleId: '2',
      createdBy: '1',
    });
    expect(sandbox.store.tasks).toHaveLength(1);
    expect(at((await rest('tasks.task.add', {})).body, 'error')).toBe('100');
    expect(
      at(
        (await rest('tasks.task.add', { fields: { RESPONSIBLE_ID: 2 } })).body,
        'error_description',
      ),
    ).toBe('Task title is not specified<br>');
    expect(
      at(
        (await rest('tasks.task.add', { fields: { TITLE: 'x', RESPONSIBLE_ID: 99 } })).body,
        'error',
      ),
    ).toBe('ERROR_CORE');
  });

  it('sends personal and system notifications; refuses empty ones', async () => {
    const { rest, sandbox } = makeFixture();
    expect((await rest('im.notify', { USER_ID: 2, MESSAGE: ' Missed call ' })).body).toMatchObject({
      result: 1,
    });
    await rest('im.notify.system.add', { USER_ID: 2, MESSAGE: 'System' });
    expect(
      sandbox.store.notifications.map((item) => [item.type, item.message, item.fromUserId]),
    ).toEqual([
      ['USER', 'Missed call', 1],
      ['SYSTEM', 'System', null],
    ]);
    expect(at((await rest('im.notify', { MESSAGE: 'x' })).body, 'error')).toBe('USER_ID_EMPTY');
    expect(at((await rest('im.notify', { USER_ID: 2 })).body, 'error')).toBe('MESSAGE_EMPTY');
  });
});
