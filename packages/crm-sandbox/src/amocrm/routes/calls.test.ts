import { describe, expect, it } from 'vitest';
import { closeSandboxesAfterEach, embedded, errorPaths } from '../testing.ts';

const { connected } = closeSandboxesAfterEach();

const call = (phone: string, extra: Record<string, unknown> = {}) => ({
  direction: 'inbound',
  duration: 42,
  source: 'provod',
  phone,
  uniq: 'uniq-1',
  link: 'https://provod.example/r/1.mp3',
  call_status: 4,
  call_result: 'Разговор',
  ...extra,
});

describe('amoCRM sandbox POST /api/v4/calls', () => {
  it('attaches a call to the single active lead, matching by the last 10 digits', async () => {
    const { api, sandbox } = await connected();
    const { contacts } = sandbox.seed({
      contacts: [{ name: 'Иван', phones: ['8 (912) 345-67-89'] }],
    });
    const { leads } = sandbox.seed({
      leads: [
        { name: 'open', contact_ids: contacts },
        { name: 'won', contact_ids: contacts, status_id: 142 },
      ],
    });
    const answer = await api('POST', '/api/v4/calls', [call('+79123456789')]);
    expect(answer.status).toBe(200);
    const body = answer.json();
    expect(body).toMatchObject({ _total_items: 1, errors: [] });
    expect(embedded(body, 'calls')[0]).toMatchObject({
      entity_id: leads[0],
      entity_type: 'lead',
      request_id: '0',
    });
    const notes = (await api('GET', `/api/v4/leads/${String(leads[0])}/notes`)).json();
    expect(embedded(notes, 'notes')[0]).toMatchObject({
      note_type: 'call_in',
      params: { phone: '+79123456789', duration: 42, uniq: 'uniq-1', call_status: 4 },
    });
  });

  it('uses the contact with two active leads, a company, and refuses an unknown number per item', async () => {
    const { api, sandbox } = await connected();
    const { contacts, companies } = sandbox.seed({
      contacts: [{ name: 'Двое', phones: ['+79120000001'] }],
      companies: [{ name: 'ООО', phones: ['+74950000002'] }],
    });
    sandbox.seed({
      leads: [
        { name: 'a', contact_ids: contacts },
        { name: 'b', contact_ids: contacts },
      ],
    });
    const answer = await api('POST', '/api/v4/calls', [
      call('89120000001'),
      call('84950000002', { direction: 'outbound' }),
      call('+70000000000', { request_id: 'lost' }),
    ]);
    const body = answer.json();
    expect(embedded(body, 'calls').map((item) => [item.entity_type, item.entity_id])).toEqual([
      ['contact', contacts[0]],
      ['company', companies[0]],
    ]);
    expect(body.errors).toEqual([expect.objectContaining({ request_id: 'lost', status: 404 })]);
    const outgoing = [...sandbox.state.notes.values()].filter(
      (note) => note.note_type === 'call_out',
    );
    expect(outgoing).toHaveLength(1);
  });

  it('does not de-duplicate by uniq', async () => {
    const { api, sandbox } = await connected();
    sandbox.seed({ contacts: [{ name: 'Иван', phones: ['+79123456789'] }] });
    await api('POST', '/api/v4/calls', [call('+79123456789')]);
    await api('POST', '/api/v4/calls', [call('+79123456789')]);
    expect(sandbox.state.notes.size).toBe(2);
  });

  it('requires direction, duration, source and phone', async () => {
    const { api } = await connected();
    const refused = await api('POST', '/api/v4/calls', [{ uniq: 'x', direction: 'sideways' }]);
    expect(refused.status).toBe(400);
    expect(errorPaths(refused.json())).toEqual(['direction', 'duration', 'source', 'phone']);
    expect((await api('POST', '/api/v4/calls', { direction: 'inbound' })).status).toBe(400);
  });
});

describe('amoCRM sandbox notes', () => {
  it('adds call and common notes by path and by entity_id, and lists them', async () => {
    const { api, sandbox } = await connected();
    const { contacts } = sandbox.seed({ contacts: [{ name: 'Иван' }] });
    const id = contacts[0] ?? 0;
    const byPath = await api('POST', `/api/v4/contacts/${id}/notes`, [
      {
        note_type: 'call_out',
        params: {
          uniq: 'u',
          duration: 5,
          source: 'provod',
          link: 'https://x/1.mp3',
          phone: '+79120000000',
          call_status: 4,
        },
      },
    ]);
    expect(embedded(byPath.json(), 'notes')[0]).toMatchObject({ entity_id: id, request_id: '0' });
    const byBody = await api('POST', '/api/v4/contacts/notes', [
      { entity_id: id, note_type: 'common', params: { text: 'hi' } },
    ]);
    expect(byBody.status).toBe(200);
    const list = (
      await api('GET', `/api/v4/contacts/notes?filter[entity_id]=${id}&filter[note_type]=common`)
    ).json();
    expect(embedded(list, 'notes').map((note) => note.note_type)).toEqual(['common']);
    const noteId = embedded(list, 'notes')[0]?.id;
    expect((await api('GET', `/api/v4/contacts/notes/${String(noteId)}`)).status).toBe(200);
    expect((await api('GET', '/api/v4/leads/notes')).status).toBe(204);
  });

  it('requires the call params and an existing entity', async () => {
    const { api, sandbox } = await connected();
    const { contacts } = sandbox.seed({ contacts: [{ name: 'Иван' }] });
    const refused = await api('POST', `/api/v4/contacts/${String(contacts[0])}/notes`, [
      { note_type: 'call_in', params: { uniq: 'u', duration: 5 } },
      { note_type: 'fax' },
    ]);
    expect(errorPaths(refused.json())).toEqual([
      'params.source',
      'params.link',
      'params.phone',
      'note_type',
      'params',
    ]);
    const missing = await api('POST', '/api/v4/leads/notes', [
      { entity_id: 1, note_type: 'common', params: { text: 'x' } },
    ]);
    expect(errorPaths(missing.json())).toEqual(['entity_id']);
  });
});

describe('amoCRM sandbox tasks', () => {
  it('adds, lists with filters, gets and completes tasks', async () => {
    const { api, sandbox } = await connected();
    const { leads } = sandbox.seed({ leads: [{ name: 'L' }] });
    const added = await api('POST', '/api/v4/tasks', [
      {
        text: 'Перезвонить',
        complete_till: 1_736_935_200,
        entity_type: 'leads',
        entity_id: leads[0],
        task_type_id: 1,
      },
      { text: 'Встреча', complete_till: 1_736_935_200, task_type_id: 2 },
    ]);
    const ids = embedded(added.json(), 'tasks').map((task) => task.id);
    expect(ids).toHaveLength(2);
    const filtered = (
      await api(
        'GET',
        `/api/v4/tasks?filter[entity_type]=leads&filter[entity_id][]=${String(leads[0])}`,
      )
    ).json();
    expect(embedded(filtered, 'tasks')).toEqual([
      expect.objectContaining({
        text: 'Перезвонить',
        complete_till: 1_736_935_200,
        is_completed: false,
      }),
    ]);
    const done = await api('PATCH', `/api/v4/tasks/${String(ids[0])}`, {
      is_completed: true,
      result: { text: 'Дозвонились' },
    });
    expect(done.status).toBe(200);
    const task = (await api('GET', `/api/v4/tasks/${String(ids[0])}`)).json();
    expect(task).toMatchObject({ is_completed: true, result: { text: 'Дозвонились' } });
    expect((await api('GET', '/api/v4/tasks?filter[is_completed]=1')).json()._page).toBe(1);
    expect((await api('GET', '/api/v4/tasks/1')).status).toBe(204);
  });

  it('requires text and complete_till and a known task type and entity', async () => {
    const { api } = await connected();
    const refused = await api('POST', '/api/v4/tasks', [
      { task_type_id: 9, entity_type: 'leads', entity_id: 1 },
    ]);
    expect(errorPaths(refused.json())).toEqual([
      'entity_id',
      'text',
      'complete_till',
      'task_type_id',
    ]);
    expect((await api('GET', '/api/v4/tasks')).status).toBe(204);
  });
});

describe('amoCRM sandbox events', () => {
  it('lists the note and call events the sandbox produced, newest first, with filters', async () => {
    const { api, sandbox } = await connected();
    const { contacts } = sandbox.seed({ contacts: [{ name: 'Иван', phones: ['+79123456789'] }] });
    await api('POST', '/api/v4/calls', [call('+79123456789')]);
    const events = (await api('GET', '/api/v4/events?filter[type]=incoming_call')).json();
    const event = embedded(events, 'events')[0] ?? {};
    expect(event).toMatchObject({
      type: 'incoming_call',
      entity_type: 'contact',
      entity_id: contacts[0],
    });
    expect(typeof event.id).toBe('string');
    expect((await api('GET', `/api/v4/events/${String(event.id)}`)).status).toBe(200);
    const all = embedded((await api('GET', '/api/v4/events')).json(), 'events').map(
      (item) => item.type,
    );
    expect(all).toEqual(['incoming_call', 'contact_added']);
    expect((await api('GET', '/api/v4/events?filter[entity]=lead')).status).toBe(204);
  });

  it('shows an incoming-call card through POST /api/v2/events', async () => {
    const { api, sandbox } = await connected();
    const { contacts } = sandbox.seed({ contacts: [{ name: 'Иван', phones: ['+79123456789'] }] });
    const userId = sandbox.state.defaultUserId();
    const answer = await api('POST', '/api/v2/events', {
      add: [{ type: 'phone_call', phone_number: '89123456789', users: [userId] }],
    });
    expect(answer.status).toBe(200);
    expect(embedded(answer.json(), 'items')[0]).toMatchObject({
      element_id: contacts[0],
      element_type: 1,
    });
    expect(sandbox.state.callCards).toEqual([
      expect.objectContaining({ phone_number: '89123456789', users: [userId] }),
    ]);
    const refused = await api('POST', '/api/v2/events', { add: [{ type: 'sms', users: [1] }] });
    expect(errorPaths(refused.json())).toEqual(['type', 'phone_number', 'users.0']);
  });
});
