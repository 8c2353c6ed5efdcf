import { extensionCreateSchema, extensionUpdateSchema, type Extension } from '@provod/contracts';
import { describe, expect, it } from 'vitest';
import { fieldErrorsFromZod } from '../forms/form-errors.ts';
import { draftFromExtension, payloadFromDraft } from './extension-draft.ts';

const existing: Extension = {
  id: '0f8e6c1a-2b3d-4e5f-8a9b-0c1d2e3f4a5b',
  number: '101',
  displayName: 'Reception',
  callerId: '+74951234567',
  voicemailEnabled: true,
  voicemailEmail: 'desk@acme.test',
  doNotDisturb: false,
  forwarding: {
    unconditional: null,
    busy: { kind: 'voicemail' },
    noAnswer: { target: { kind: 'external', number: '+79161234567' }, afterSeconds: 25 },
    unreachable: { kind: 'extension', number: '102' },
  },
  recording: 'on_demand',
  userId: null,
  createdAt: '2025-01-01T00:00:00.000Z',
  updatedAt: '2025-01-01T00:00:00.000Z',
};

describe('extension draft', () => {
  it('gives back an extension unchanged when nothing was edited', () => {
    const payload = extensionUpdateSchema.parse(
      payloadFromDraft(draftFromExtension(existing), 'update'),
    );
    expect(payload).toEqual({
      displayName: 'Reception',
      callerId: '+74951234567',
      voicemailEnabled: true,
      voicemailEmail: 'desk@acme.test',
      doNotDisturb: false,
      recording: 'on_demand',
      userId: null,
      forwarding: existing.forwarding,
    });
  });

  it('keeps, changes and clears the owner (userId) of an extension', () => {
    const owner = '7c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f';
    const owned = draftFromExtension({ ...existing, userId: owner });
    expect(extensionUpdateSchema.parse(payloadFromDraft(owned, 'update')).userId).toBe(owner);
    owned.userId = null;
    expect(extensionUpdateSchema.parse(payloadFromDraft(owned, 'update')).userId).toBeNull();
    const created = draftFromExtension(null);
    created.number = '202';
    created.userId = 'not-an-id';
    expect(extensionCreateSchema.safeParse(payloadFromDraft(created, 'create')).success).toBe(
      false,
    );
  });

  it('creates with the number, "none" rules as null and no password when left empty', () => {
    const draft = draftFromExtension(null);
    draft.number = ' 201 ';
    const payload = extensionCreateSchema.parse(payloadFromDraft(draft, 'create'));
    expect(payload.number).toBe('201');
    expect(payload.forwarding).toEqual({
      unconditional: null,
      busy: null,
      noAnswer: null,
      unreachable: null,
    });
    expect(payload.callerId).toBeNull();
    expect(payload.voicemailEmail).toBeNull();
    expect(payload.sipPassword).toBeUndefined();
  });

  it('names the field of every bad value the contract refuses', () => {
    const draft = draftFromExtension(null);
    draft.number = '2';
    draft.callerId = '8-495-123';
    draft.forwarding.busy = { kind: 'extension', number: 'abc' };
    draft.forwarding.noAnswer = { kind: 'external', number: '+7 495' };
    draft.noAnswerAfterSeconds = 2;
    draft.sipPassword = 'has "quotes"';
    const parsed = extensionCreateSchema.safeParse(payloadFromDraft(draft, 'create'));
    expect(parsed.success).toBe(false);
    if (parsed.success) return;
    expect(Object.keys(fieldErrorsFromZod(parsed.error)).sort()).toEqual([
      'callerId',
      'forwarding.busy.number',
      'forwarding.noAnswer.afterSeconds',
      'forwarding.noAnswer.target.number',
      'number',
      'sipPassword',
    ]);
  });

  it('never sends the number on update: it is the SIP username', () => {
    const draft = draftFromExtension(existing);
    draft.number = '999';
    expect(payloadFromDraft(draft, 'update')).not.toHaveProperty('number');
  });
});
