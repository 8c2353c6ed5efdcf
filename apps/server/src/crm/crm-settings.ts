import {
  amoCrmRulesSchema,
  ProvodError,
  type AmoCrmRulesPatch,
  type AmoCrmRulesSettings,
} from '@provod/contracts';
import { callTypes, defaultAmoCrmRules, type AmoCrmRules } from '@provod/crm';

/**
 * A connection's settings are stored with the version of their shape. When the shape
 * changes, the version goes up and a step here turns the previous version's settings into
 * the next one's, so settings saved by any earlier release still load with nothing lost.
 * Version 1 is the first shape; 2 added `callFilter` (every call passes, as before).
 */
export const currentSettingsVersion = 2;

type SettingsMigration = (previous: Record<string, unknown>) => Record<string, unknown>;

/** `settingsMigrations[n]` turns version n into n + 1. */
const settingsMigrations: Readonly<Record<number, SettingsMigration>> = {
  1: (previous) => ({
    ...previous,
    callFilter: { extensions: { mode: 'all', values: [] }, trunks: { mode: 'all', values: [] } },
  }),
};

/**
 * Stored settings of any version → the current rules (the contract's shape, which the
 * connector's AmoCrmRules accepts — deliver-call.ts compiles only while the two agree).
 */
export function readStoredRules(version: number, stored: unknown): AmoCrmRulesSettings {
  let settings = stored;
  for (let at = version; at < currentSettingsVersion; at += 1) {
    const step = settingsMigrations[at];
    if (step === undefined || typeof settings !== 'object' || settings === null)
      throw new ProvodError('internal', `CRM settings of version ${at} cannot be migrated`);
    settings = step(settings as Record<string, unknown>);
  }
  if (version > currentSettingsVersion)
    throw new ProvodError(
      'internal',
      `CRM settings are of version ${version}, newer than this build's ${currentSettingsVersion}`,
    );
  return amoCrmRulesSchema.parse(settings);
}

/** A partial change applied over the current rules (each call type's rule field by field). */
export function applyRulesPatch(
  current: AmoCrmRules,
  patch: AmoCrmRulesPatch = {},
): AmoCrmRulesSettings {
  const { callTypes: typePatch, ...rest } = patch;
  const merged = Object.fromEntries(
    callTypes.map((type) => [type, { ...current.callTypes[type], ...typePatch?.[type] }]),
  );
  return amoCrmRulesSchema.parse({ ...current, ...rest, callTypes: merged });
}

export function newConnectionRules(patch?: AmoCrmRulesPatch): AmoCrmRulesSettings {
  return applyRulesPatch(defaultAmoCrmRules, patch);
}
