import { trunkCreateSchema, trunkUpdateSchema, type TrunkWithSecret } from '@provod/contracts';
import { describe, expect, it } from 'vitest';
import { draftFromTrunk, passwordState, payloadFromDraft } from './trunk-draft.ts';

const stored: TrunkWithSecret = {
  id: '0195a1b2-0000-4000-8000-000000000001',
  name: 'Main provider',
  host: 'sip.example.ru',
  port: 5060,
  transport: 'udp',
  username: '74951234567',
  authUsername: null,
  fromDomain: null,
  register: true,
  registerExpiresSeconds: 300,
  dialPrefixes: ['+7', '8'],
  priority: 10,
  enabled: true,
  password: 's3cret',
  createdAt: '2025-01-01T00:00:00.000Z',
  updatedAt: '2025-01-01T00:00:00.000Z',
};

describe('trunk draft', () => {
  it("starts a new trunk with the API's defaults, accepted by the contract once named", () => {
    const draft = { ...draftFromTrunk(null), name: 'Provider', host: 'sip.example.ru' };
    const body = trunkCreateSchema.parse(payloadFromDraft(draft, 'create'));
    expect(body).toMatchObject({ port: 5060, transport: 'udp', password: null, priority: 100 });
  });

  it('never copies the stored password into the form', () => {
    expect(draftFromTrunk(stored).password).toBe('');
  });

  it('keeps the password on edit unless one is typed or removing it is chosen', () => {
    const draft = draftFromTrunk(stored);
    expect(payloadFromDraft(draft, 'update')).not.toHaveProperty('password');
    expect(payloadFromDraft({ ...draft, password: 'new one' }, 'update')).toMatchObject({
      password: 'new one',
    });
    expect(
      payloadFromDraft({ ...draft, password: 'typed', clearPassword: true }, 'update'),
    ).toMatchObject({ password: null });
  });

  it('sends empty optional fields as null and trims them', () => {
    const draft = { ...draftFromTrunk(stored), username: '  ', fromDomain: ' pbx.example.ru ' };
    const body = trunkUpdateSchema.parse(payloadFromDraft(draft, 'update'));
    expect(body.username).toBeNull();
    expect(body.fromDomain).toBe('pbx.example.ru');
    expect(body.dialPrefixes).toEqual(['+7', '8']);
  });

  it('leaves bad values for the contract to refuse, on the right field', () => {
    const draft = { ...draftFromTrunk(stored), host: 'sip provider.ru', dialPrefixes: ['+7', 'x'] };
    const parsed = trunkUpdateSchema.safeParse(payloadFromDraft(draft, 'update'));
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((issue) => issue.path.join('.')).sort()).toEqual([
      'dialPrefixes.1',
      'host',
    ]);
  });
});

describe('passwordState', () => {
  it('says set or none only when the API told this role', () => {
    expect(passwordState(stored)).toBe('set');
    expect(passwordState({ ...stored, password: null })).toBe('none');
    const { password: _hidden, ...withoutSecret } = stored;
    expect(passwordState(withoutSecret)).toBe('unknown');
    expect(passwordState(null)).toBe('none');
  });
});
