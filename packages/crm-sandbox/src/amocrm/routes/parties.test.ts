import { describe, expect, it } from 'vitest';
import { closeSandboxesAfterEach, embedded, errorPaths } from '../testing.ts';

const { connected } = closeSandboxesAfterEach();

const phone = (value: string) => ({ field_code: 'PHONE', values: [{ value, enum_code: 'WORK' }] });

describe('amoCRM sandbox contacts and companies', () => {
  it('adds contacts from an array and answers ids with request_id', async () => {
    const { api } = await connected();
    const added = await api('POST', '/api/v4/contacts', [
      { name: 'Иван Петров', custom_fields_values: [phone('+7 (912) 345-67-89')] },
      { first_name: 'Анна', last_name: 'Смирнова', request_id: 'anna' },
    ]);
    expect(added.status).toBe(200);
    expect(added.contentType).toContain('application/hal+json');
    const contacts = embedded(added.json(), 'contacts');
    expect(contacts.map((contact) => contact.request_id)).toEqual(['0', 'anna']);
    const anna = await api('GET', `/api/v4/contacts/${String(contacts[1]?.id)}`);
    expect(anna.json()).toMatchObject({
      name: 'Анна Смирнова',
      first_name: 'Анна',
      custom_fields_values: null,
    });
  });

  it('refuses bad items with validation-errors naming each path', async () => {
    const { api } = await connected();
    const refused = await api('POST', '/api/v4/contacts', [
      { name: 'ok' },
      {
        name: 42,
        custom_fields_values: [{ field_id: 999, values: [{ value: 'x' }] }],
        responsible_user_id: 1,
      },
    ]);
    expect(refused.status).toBe(400);
    expect(refused.contentType).toContain('application/problem+json');
    expect(refused.json()).toMatchObject({
      title: 'Bad Request',
      status: 400,
      detail: 'Request validation failed',
    });
    expect(errorPaths(refused.json())).toEqual([
      'name',
      'responsible_user_id',
      'custom_fields_values.0.field_id',
    ]);
    expect((await api('POST', '/api/v4/contacts', {})).status).toBe(400);
    expect((await api('GET', '/api/v4/contacts')).status).toBe(204);
  });

  it('finds contacts by query: name, phone digits in any spelling, last 10 digits', async () => {
    const { api, sandbox } = await connected();
    sandbox.seed({
      contacts: [
        { name: 'Иван Петров', phones: ['+7 (912) 345-67-89'] },
        { name: 'Олег', phones: ['84957654321'] },
      ],
    });
    const byName = await api('GET', '/api/v4/contacts?query=петров');
    expect(embedded(byName.json(), 'contacts').map((contact) => contact.name)).toEqual([
      'Иван Петров',
    ]);
    const byDigits = await api('GET', '/api/v4/contacts?query=89123456789');
    expect(embedded(byDigits.json(), 'contacts').map((contact) => contact.name)).toEqual([
      'Иван Петров',
    ]);
    const byPart = await api('GET', `/api/v4/contacts?query=${encodeURIComponent('765-43-21')}`);
    expect(embedded(byPart.json(), 'contacts').map((contact) => contact.name)).toEqual(['Олег']);
    expect((await api('GET', '/api/v4/contacts?query=70000000000')).status).toBe(204);
  });

  it('pages lists with _page and _links.next, capping limit at 250', async () => {
    const { api, sandbox } = await connected();
    sandbox.seed({ contacts: Array.from({ length: 3 }, (_, index) => ({ name: `c${index}` })) });
    const first = (await api('GET', '/api/v4/contacts?limit=2')).json();
    expect(first._page).toBe(1);
    expect(embedded(first, 'contacts')).toHaveLength(2);
    const links = first._links as Record<string, { href: string }>;
    expect(links.next?.href).toContain('page=2');
    const second = (await api('GET', '/api/v4/contacts?limit=2&page=2')).json();
    expect(embedded(second, 'contacts').map((contact) => contact.name)).toEqual(['c2']);
    expect((second._links as Record<string, unknown>).next).toBeUndefined();
    expect((await api('GET', '/api/v4/contacts?limit=2&page=3')).status).toBe(204);
    const capped = (await api('GET', '/api/v4/contacts?limit=1000')).json();
    expect(String((capped._links as Record<string, { href: string }>).self?.href)).toContain(
      'limit=250',
    );
  });

  it('gets by id with with=leads, 204 for a missing one; updates one and many', async () => {
    const { api, sandbox } = await connected();
    const { contacts } = sandbox.seed({ contacts: [{ name: 'Иван', phones: ['89120000001'] }] });
    const id = contacts[0] ?? 0;
    sandbox.seed({ leads: [{ name: 'Сделка', contact_ids: [id] }] });
    const contact = (await api('GET', `/api/v4/contacts/${id}?with=leads`)).json();
    expect(embedded(contact, 'leads')).toHaveLength(1);
    expect((await api('GET', '/api/v4/contacts/1')).status).toBe(204);
    const one = await api('PATCH', `/api/v4/contacts/${id}`, { name: 'Иван Иванович' });
    expect(one.json()).toMatchObject({ id, name: 'Иван Иванович' });
    const many = await api('PATCH', '/api/v4/contacts', [
      { id, custom_fields_values: [phone('89120000002')] },
    ]);
    expect(embedded(many.json(), 'contacts')[0]).toMatchObject({ id, request_id: '0' });
    const after = (await api('GET', `/api/v4/contacts/${id}`)).json();
    expect(JSON.stringify(after.custom_fields_values)).toContain('89120000002');
    const missing = await api('PATCH', '/api/v4/contacts', [{ id: 1, name: 'x' }]);
    expect(errorPaths(missing.json())).toEqual(['id']);
    expect((await api('PATCH', '/api/v4/contacts/1', { name: 'x' })).status).toBe(400);
  });

  it('serves companies and the PHONE/EMAIL custom field definitions', async () => {
    const { api } = await connected();
    const added = await api('POST', '/api/v4/companies', [
      { name: 'ООО Ромашка', custom_fields_values: [phone('+74950000000')] },
    ]);
    expect(embedded(added.json(), 'companies')).toHaveLength(1);
    const list = (await api('GET', '/api/v4/companies?query=4950000000')).json();
    expect(embedded(list, 'companies')[0]).toMatchObject({ name: 'ООО Ромашка' });
    const fields = (await api('GET', '/api/v4/contacts/custom_fields')).json();
    expect(embedded(fields, 'custom_fields').map((field) => field.code)).toEqual([
      'PHONE',
      'EMAIL',
    ]);
  });

  it('ignores unknown fields by default and refuses them when configured', async () => {
    const lenient = await connected();
    expect(
      (await lenient.api('POST', '/api/v4/contacts', [{ name: 'a', colour: 'red' }])).status,
    ).toBe(200);
    const strict = await connected({ unknownFields: 'reject' });
    const refused = await strict.api('POST', '/api/v4/contacts', [{ name: 'a', colour: 'red' }]);
    expect(errorPaths(refused.json())).toEqual(['colour']);
  });
});
