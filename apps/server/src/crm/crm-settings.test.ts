import { readFileSync } from 'node:fs';
import { defaultAmoCrmRules } from '@provod/crm';
import { describe, expect, it } from 'vitest';
import {
  applyRulesPatch,
  currentSettingsVersion,
  newConnectionRules,
  readStoredRules,
} from './crm-settings.ts';

describe('CRM connection settings', () => {
  const stored = newConnectionRules({ fallbackUserId: 7 });

  it('round-trips the current version with nothing lost', () => {
    const roundTripped = readStoredRules(
      currentSettingsVersion,
      JSON.parse(JSON.stringify(stored)),
    );
    expect(roundTripped).toEqual(stored);
    expect(roundTripped).toEqual({ ...defaultAmoCrmRules, fallbackUserId: 7 });
  });

  it('applies a patch of one field of one call type and keeps the rest', () => {
    const patched = applyRulesPatch(stored, {
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

  /** Settings as each released version stored them; every one must load with nothing lost. */
  const fixture = (version: number): Record<string, unknown> =>
    JSON.parse(
      readFileSync(new URL(`./settings-fixtures/v${version}.json`, import.meta.url), 'utf8'),
    ) as Record<string, unknown>;

  it.each(Array.from({ length: currentSettingsVersion }, (_, index) => index + 1))(
    'migrates the settings of version %i to the current one with nothing lost',
    (version) => {
      const stored = fixture(version);
      const current = readStoredRules(version, stored);
      expect(current).toMatchObject(stored);
      expect(readStoredRules(currentSettingsVersion, JSON.parse(JSON.stringify(current)))).toEqual(
        current,
      );
    },
  );

  it('gives version-1 settings a call filter that lets every call through', () => {
    expect(readStoredRules(1, fixture(1)).callFilter).toEqual(defaultAmoCrmRules.callFilter);
  });

  it('refuses settings from a newer build and stored settings that break the schema', () => {
    expect(() => readStoredRules(currentSettingsVersion + 1, stored)).toThrow(/newer/);
    expect(() =>
      readStoredRules(currentSettingsVersion, { ...stored, fallbackUserId: -1 }),
    ).toThrow();
  });
});
