import {
  forwardingRulesSchema,
  recordingPolicySchema,
  type ForwardingRules,
  type ExtensionWithSecret,
} from '@provod/contracts';
import type { Selectable } from 'kysely';
import { isoNow, type Clock } from '../clock.ts';
import { newId } from '../ids.ts';
import { readJson, writeJson } from '../json-column.ts';
import type { ExtensionTable } from '../schema.ts';
import type { TenantScope } from '../tenant-scope.ts';

export type ExtensionRecord = Omit<ExtensionWithSecret, 'sipUsername' | 'sipDomain'>;

export interface NewExtension {
  number: string;
  displayName: string;
  sipPassword: string;
  callerId: string | null;
  voicemailEnabled: boolean;
  voicemailEmail: string | null;
  doNotDisturb: boolean;
  forwarding: ForwardingRules;
  recording: ExtensionRecord['recording'];
  userId: string | null;
}

export type ExtensionPatch = Partial<NewExtension>;

export function extensionRepository(scope: TenantScope, clock: Clock) {
  const repository = {
    async list(): Promise<ExtensionRecord[]> {
      const rows = await scope.selectFrom('extensions').selectAll().orderBy('number').execute();
      return rows.map(toRecord);
    },

    async get(id: string): Promise<ExtensionRecord | undefined> {
      const row = await scope
        .selectFrom('extensions')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirst();
      return row && toRecord(row);
    },

    async findByNumber(number: string): Promise<ExtensionRecord | undefined> {
      const row = await scope
        .selectFrom('extensions')
        .selectAll()
        .where('number', '=', number)
        .executeTakeFirst();
      return row && toRecord(row);
    },

    async create(input: NewExtension): Promise<ExtensionRecord> {
      const now = isoNow(clock);
      const id = newId(clock().getTime());
      await scope
        .insertInto('extensions', { id, ...toColumns(input), createdAt: now, updatedAt: now })
        .execute();
      return { id, ...input, createdAt: now, updatedAt: now };
    },

    async update(id: string, patch: ExtensionPatch): Promise<ExtensionRecord | undefined> {
      const current = await repository.get(id);
      if (!current) return undefined;
      const next = { ...current, ...patch, updatedAt: isoNow(clock) };
      await scope
        .updateTable('extensions', { ...toColumns(next), updatedAt: next.updatedAt })
        .where('id', '=', id)
        .execute();
      return next;
    },

    async delete(id: string): Promise<boolean> {
      const result = await scope.deleteFrom('extensions').where('id', '=', id).executeTakeFirst();
      return result.numDeletedRows > 0n;
    },
  };
  return repository;
}

export type ExtensionRepository = ReturnType<typeof extensionRepository>;

function toColumns(input: NewExtension) {
  return {
    number: input.number,
    displayName: input.displayName,
    sipPassword: input.sipPassword,
    callerId: input.callerId,
    voicemailEnabled: Number(input.voicemailEnabled),
    voicemailEmail: input.voicemailEmail,
    doNotDisturb: Number(input.doNotDisturb),
    forwarding: writeJson(input.forwarding),
    recording: input.recording,
    userId: input.userId,
  };
}

function toRecord(row: Selectable<ExtensionTable>): ExtensionRecord {
  return {
    id: row.id,
    number: row.number,
    displayName: row.displayName,
    sipPassword: row.sipPassword,
    callerId: row.callerId,
    voicemailEnabled: row.voicemailEnabled === 1,
    voicemailEmail: row.voicemailEmail,
    doNotDisturb: row.doNotDisturb === 1,
    forwarding: readJson(forwardingRulesSchema, row.forwarding),
    recording: recordingPolicySchema.parse(row.recording),
    userId: row.userId,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
