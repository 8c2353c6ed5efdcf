import { describe, expect, it } from 'vitest';
import { closeSandboxesAfterEach, embedded, errorPaths } from '../testing.ts';

const { connected } = closeSandboxesAfterEach();

describe('amoCRM sandbox account, users, pipelines', () => {
  it('answers the account with task types, users and pipelines with statuses', async () => {
    const { api } = await connected();
    const account = (await api('GET', '/api/v4/account?with=task_types')).json();
    expect(account).toMatchObject({ id: 31_000_001, subdomain: 'provod-sandbox' });
    expect(embedded(account, 'task_types').map((type) => type.id)).toEqual([1, 2]);
    const users = (await api('GET', '/api/v4/users')).json();
    expect(users).toMatchObject({ _total_items: 1, _page: 1, _page_count: 1 });
    const userId = embedded(users, 'users')[0]?.id;
    expect((await api('GET', `/api/v4/users/${String(userId)}`)).status).toBe(200);
    expect((await api('GET', '/api/v4/users/1')).status).toBe(204);
    const pipelines = (await api('GET', '/api/v4/leads/pipelines')).json();
    const pipeline = embedded(pipelines, 'pipelines')[0] ?? {};
    expect(embedded(pipeline, 'statuses').map((status) => status.id)).toEqual(
      expect.arrayContaining([142, 143]),
    );
    expect((await api('GET', `/api/v4/leads/pipelines/${String(pipeline.id)}`)).status).toBe(200);
    expect((await api('GET', '/api/v4/leads/pipelines/5')).status).toBe(204);
  });
});

describe('amoCRM sandbox leads', () => {
  it('adds a lead linked to contacts and shows them with=contacts', async () => {
    const { api, sandbox } = await connected();
    const { contacts } = sandbox.seed({ contacts: [{ name: 'A' }, { name: 'B' }] });
    const added = await api('POST', '/api/v4/leads', [
      {
        name: 'Заявка',
        price: 1000,
        _embedded: { contacts: [{ id: contacts[0] }, { id: contacts[1], is_main: true }] },
      },
    ]);
    expect(added.status).toBe(200);
    const id = embedded(added.json(), 'leads')[0]?.id;
    const plain = (await api('GET', `/api/v4/leads/${String(id)}`)).json();
    expect(embedded(plain, 'contacts')).toEqual([]);
    const lead = (await api('GET', `/api/v4/leads/${String(id)}?with=contacts`)).json();
    expect(lead).toMatchObject({ name: 'Заявка', price: 1000 });
    expect(embedded(lead, 'contacts').map((contact) => [contact.id, contact.is_main])).toEqual([
      [contacts[0], false],
      [contacts[1], true],
    ]);
    expect(embedded((await api('GET', '/api/v4/leads?query=заяв')).json(), 'leads')).toHaveLength(
      1,
    );
    expect((await api('GET', '/api/v4/leads/1')).status).toBe(204);
  });

  it('refuses a status outside the pipeline and an unknown contact', async () => {
    const { api } = await connected();
    const refused = await api('POST', '/api/v4/leads', [
      { name: 'x', status_id: 1, _embedded: { contacts: [{ id: 5 }] } },
    ]);
    expect(refused.status).toBe(400);
    expect(errorPaths(refused.json())).toEqual(['status_id', '_embedded.contacts.0.id']);
  });
});

describe('amoCRM sandbox unsorted (sip)', () => {
  const metadata = {
    from: '+79123456789',
    phone: '+74950000000',
    called_at: 1_736_931_600,
    duration: 0,
    link: 'https://provod.example/records/1.mp3',
    service_code: 'provod',
    uniq: 'call-1',
    is_call_event_needed: true,
  };

  it('creates an incoming lead in the unsorted status with its contact and call note', async () => {
    const { api, sandbox } = await connected();
    const added = await api('POST', '/api/v4/leads/unsorted/sip', [
      {
        source_uid: 'provod-line-1',
        source_name: 'Provod',
        metadata,
        _embedded: {
          leads: [{ name: 'Входящий звонок' }],
          contacts: [
            {
              name: '+79123456789',
              custom_fields_values: [{ field_code: 'PHONE', values: [{ value: '+79123456789' }] }],
            },
          ],
        },
      },
    ]);
    expect(added.status).toBe(200);
    const item = embedded(added.json(), 'unsorted')[0] ?? {};
    expect(item).toMatchObject({ request_id: '0', account_id: 31_000_001 });
    const leadId = embedded(item, 'leads')[0]?.id;
    const lead = sandbox.state.leads.get(Number(leadId));
    const unsortedStatus = sandbox.state
      .mainPipeline()
      .statuses.find((status) => status.type === 1);
    expect(lead?.status_id).toBe(unsortedStatus?.id);
    expect(lead?.contact_ids).toHaveLength(1);
    expect([...sandbox.state.notes.values()].map((note) => note.note_type)).toEqual(['call_in']);
    const list = (
      await api('GET', `/api/v4/leads/unsorted?filter[uid]=${String(item.uid)}`)
    ).json();
    expect(embedded(list, 'unsorted')[0]).toMatchObject({
      category: 'sip',
      metadata: { uniq: 'call-1' },
    });
  });

  it('requires source_uid, source_name and the sip metadata fields', async () => {
    const { api } = await connected();
    const { uniq: _uniq, called_at: _calledAt, ...partial } = metadata;
    const refused = await api('POST', '/api/v4/leads/unsorted/sip', [
      { source_name: 'Provod', metadata: partial },
    ]);
    expect(refused.status).toBe(400);
    expect(errorPaths(refused.json())).toEqual([
      'source_uid',
      'metadata.called_at',
      'metadata.uniq',
    ]);
  });
});
