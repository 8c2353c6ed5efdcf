import {
  amoCrmRulesPatchSchema,
  amoCrmRulesSchema,
  bitrix24RulesPatchSchema,
  bitrix24RulesSchema,
  ProvodError,
  type AmoCrmRulesSettings,
  type Bitrix24RulesSettings,
  type CrmKind,
} from '@provod/contracts';
import { callTypes, defaultAmoCrmRules, defaultBitrix24Rules, hookCompileError } from '@provod/crm';
import { z } from 'zod';

/**
 * A connection's settings are stored with the version of their shape. When the shape
 * changes, the version goes up and a step here turns the previous version's settings into
 * the next one's, so settings saved by any earlier release still load with nothing lost.
 * Version 1 is the first shape (amoCRM only); 2 added `callFilter` (every call passes, as
 * before) and Bitrix24 connections, which start at 2; 3 added `hooks` (none), the
 * `transferred` call type (as inbound answered was) and `lineFallbackUsers` (none).
 */
export const currentSettingsVersion = 3;

type SettingsMigration = (previous: Record<string, unknown>) => Record<string, unknown>;

/** `settingsMigrations[n]` turns version n into n + 1. */
const settingsMigrations: Readonly<Record<number, SettingsMigration>> = {
  1: (previous) => ({
    ...previous,
    callFilter: { extensions: { mode: 'all', values: [] }, trunks: { mode: 'all', values: [] } },
  }),
  2: (previous) => {
    const types = (previous.callTypes ?? {}) as Record<string, unknown>;
    // A transferred call was an answered one before: it keeps that behaviour.
    const transferred = types.inbound_answered;
    return {
      ...previous,
      callTypes: { ...types, transferred },
      lineFallbackUsers: {},
      hooks: {},
    };
  },
};

export type CrmRulesSettings = AmoCrmRulesSettings | Bitrix24RulesSettings;

/** The rules of a kind: typed by the kind the caller names. */
interface KindRules {
  amocrm: AmoCrmRulesSettings;
  bitrix24: Bitrix24RulesSettings;
}

/** Each CRM's rules: their shape (the contract's), their partial shape and their defaults. */
const rulesSchemas: { readonly [K in CrmKind]: z.ZodType<KindRules[K]> } = {
  amocrm: amoCrmRulesSchema,
  bitrix24: bitrix24RulesSchema,
};
/** A checked patch: any fields, and each call type's rule in part (checked again after merging). */
interface RulesPatch {
  readonly callTypes?: Readonly<Record<string, object | undefined>> | undefined;
}
const patchSchemas: { readonly [K in CrmKind]: z.ZodType<RulesPatch> } = {
  amocrm: amoCrmRulesPatchSchema,
  bitrix24: bitrix24RulesPatchSchema,
};
const defaults: {
  readonly [K in CrmKind]: { readonly callTypes: Readonly<Record<string, object>> };
} = {
  amocrm: defaultAmoCrmRules,
  bitrix24: defaultBitrix24Rules,
};

/**
 * Stored settings of any version → the current rules (the contract's shape, which the
 * connector's rules types accept — deliver-call.ts compiles only while the two agree).
 */
export function readStoredRules<K extends CrmKind>(
  kind: K,
  version: number,
  stored: unknown,
): KindRules[K] {
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
  return rulesSchemas[kind].parse(settings);
}

/**
 * A partial change applied over the current rules (each call type's rule field by field).
 * The patch is checked against the kind's own partial shape: an amoCRM-only field sent to
 * a Bitrix24 connection is refused by name, not dropped.
 */
export function applyRulesPatch<K extends CrmKind>(
  kind: K,
  current: KindRules[K],
  patch: unknown = {},
): KindRules[K] {
  return mergeRules(kind, current, patch);
}

function mergeRules<K extends CrmKind>(
  kind: K,
  current: { readonly callTypes: Readonly<Record<string, object>> },
  patch: unknown,
): KindRules[K] {
  const parsed = patchSchemas[kind].safeParse(patch ?? {});
  if (!parsed.success)
    throw new ProvodError(
      'validation_failed',
      `the ${kind} rules are not valid`,
      parsed.error.issues.map((issue) => ({
        path: ['rules', ...issue.path.map(String)].join('.'),
        message: issue.message,
      })),
    );
  const { callTypes: typePatch, ...rest } = parsed.data;
  const currentTypes = current.callTypes;
  const patchTypes = typePatch ?? {};
  const merged = Object.fromEntries(
    callTypes.map((type) => [type, { ...currentTypes[type], ...patchTypes[type] }]),
  );
  return rulesSchemas[kind].parse({ ...current, ...rest, callTypes: merged });
}

export function newConnectionRules<K extends CrmKind>(kind: K, patch?: unknown): KindRules[K] {
  // The defaults' fallback user is no user yet: only the merged rules must be valid.
  return mergeRules(kind, defaults[kind], patch);
}

/**
 * Refuses hooks that are no function expression, before anything is saved or installed,
 * so a typo shows at once as a field error rather than as a note on every call's trace.
 */
export async function checkHooks(hooks: Readonly<Record<string, string | undefined>> = {}) {
  const errors: { path: string; message: string }[] = [];
  for (const [point, source] of Object.entries(hooks)) {
    if (source === undefined || source.trim() === '') continue;
    const error = await hookCompileError(source);
    if (error !== null) errors.push({ path: `rules.hooks.${point}`, message: error });
  }
  if (errors.length > 0)
    throw new ProvodError('validation_failed', 'a CRM hook is not a JavaScript function', errors);
}
