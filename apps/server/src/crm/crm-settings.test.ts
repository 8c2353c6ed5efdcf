import { readFileSync } from 'node:fs';
import type { CrmKind } from '@provod/contracts';
import { defaultAmoCrmRules, defaultBitrix24Rules } from '@provod/crm';
import { describe, expect, it } from 'vitest';
import {
  applyRulesPatch,
  currentSettingsVersion,
  newConnectionRules,
  readStoredRules,
} from './crm-settings.ts';

/** Settings as each released version stored them; every one must load with nothing lost. */
const fixture = (kind: CrmKind, version: number): Record<string, unknown> =>
  JSON.parse(
    readFileSync(new URL(`./settings-fixtures/${kind}-v${version}.json`, import.meta.url), 'utf8'),
  ) as Record<string, unknown>;

/** The first settings version each CRM was stored with. */
const firstVersion: Record<CrmKind, number> = { amocrm: 1, bitrix24: 2 };

const versions = (Object.keys(firstVersion) as CrmKind[]).flatMap((kind) =>
  Array.from({ length: currentSettingsVersion - firstVersion[kind] + 1 }, (_, index) => ({
    kind,
    version: firstVersion[kind] + index,
  })),
);

describe('CRM connection settings', () => {
  const stored = newConnectionRules('amocrm', { fallbackUserId: 7 });

  it('round-trips the current version with nothing lost', () => {
    const roundTripped = readStoredRules(
      'amocrm',
      currentSettingsVersion,
      JSON.parse(JSON.stringify(stored)),
    );
    expect(roundTripped).toEqual(stored);
    expect(roundTripped).toEqual({ ...defaultAmoCrmRules, fallbackUserId: 7 });
    expect(newConnectionRules('bitrix24', {})).toEqual(defaultBitrix24Rules);
  });

  it('applies a patch of one field of one call type and keeps the rest', () => {
    const patched = applyRulesPatch('amocrm', stored, {
      callTypes: { outbound_not_answered: { missedCallTaskMinutes: 15 } },
      sourceName: 'Provod PBX',
    });
    expect(patched.callTypes.outbound_not_answered).toEqual({
      ...stored.callTypes.outbound_not_answered,
      missedCallTaskMinutes: 15,
    });
    expect(patched.callTypes.inbound_missed).toEqual(stored.callTypes.inbound_missed);
    expect(patched.sourceName).toBe('Provod PBX');
  });

  it("refuses the other CRM's fields by name", () => {
    const bitrix = newConnectionRules('bitrix24', { fallbackUserId: 3 });
    expect(() => applyRulesPatch('bitrix24', bitrix, { sourceName: 'x' })).toThrow(
      /bitrix24 rules are not valid/,
    );
    expect(() =>
      applyRulesPatch('bitrix24', bitrix, {
        callTypes: { inbound_missed: { unknownNumber: 'add_unsorted' } },
      }),
    ).toThrow();
    expect(applyRulesPatch('bitrix24', bitrix, { lineNumber: '74950000000' }).lineNumber).toBe(
      '74950000000',
    );
  });

  it.each(versions)(
    'migrates $kind settings of version $version to the current one with nothing lost',
    ({ kind, version }) => {
      const stored = fixture(kind, version);
      const current = readStoredRules(kind, version, stored);
      expect(current).toMatchObject(stored);
      expect(
        readStoredRules(kind, currentSettingsVersion, JSON.parse(JSON.stringify(current))),
      ).toEqual(current);
    },
  );

  it('gives version-1 settings a call filter that lets every call through', () => {
    expect(readStoredRules('amocrm', 1, fixture('amocrm', 1)).callFilter).toEqual(
      defaultAmoCrmRules.callFilter,
    );
  });

  it('refuses settings from a newer build and stored settings that break the schema', () => {
    expect(() => readStoredRules('amocrm', currentSettingsVersion + 1, stored)).toThrow(/newer/);
    expect(() =>
      readStoredRules('amocrm', currentSettingsVersion, { ...stored, fallbackUserId: -1 }),
    ).toThrow();
  });
});
