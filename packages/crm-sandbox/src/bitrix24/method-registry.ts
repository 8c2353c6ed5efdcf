/**
 * The shape every emulated REST method has: its name as documented, the scope it needs
 * (api-reference/scopes/permissions.md), whether it works only in an application's
 * context (telephony.externalCall.*, telephony.externalLine.*, event.bind — CRM-FACTS #8),
 * and a synchronous handler over the portal's state.
 */
import type { AppRegistration, AuthContext } from './auth.ts';
import type { SandboxClock } from '../common/clock.ts';
import type { Json, JsonObject } from './params.ts';
import type { Bitrix24Store } from './store.ts';

export interface Portal {
  readonly store: Bitrix24Store;
  readonly clock: SandboxClock;
  readonly apps: ReadonlyMap<string, AppRegistration>;
}

export interface MethodContext {
  readonly params: JsonObject;
  readonly auth: AuthContext;
  readonly portal: Portal;
}

export interface MethodOutcome {
  readonly result: Json;
  /** List methods: how many records match, and the `start` of the next page. */
  readonly total?: number;
  readonly next?: number;
}

export interface MethodDefinition {
  /** As the documentation spells it; calls match it case-insensitively. */
  readonly name: string;
  readonly scope: string;
  readonly appOnly: boolean;
  run(context: MethodContext): MethodOutcome;
}

export type MethodTable = ReadonlyMap<string, MethodDefinition>;

export function buildMethodTable(groups: readonly (readonly MethodDefinition[])[]): MethodTable {
  const table = new Map<string, MethodDefinition>();
  for (const definition of groups.flat()) table.set(definition.name.toLowerCase(), definition);
  return table;
}

/** The REST application id shown in call statistics (REST_APP_ID): registration order. */
export function restAppId(portal: Portal, clientId: string): number {
  return [...portal.apps.keys()].indexOf(clientId) + 1;
}

/** Pages of 50 (settings/how-to-call-rest-api/list-methods-pecularities.md). */
export function page<T>(
  items: readonly T[],
  start: number | undefined,
): {
  items: T[];
  total: number;
  next?: number;
} {
  const from = start !== undefined && start > 0 ? start : 0;
  const items_ = items.slice(from, from + 50);
  const next = from + 50 < items.length ? from + 50 : undefined;
  return next === undefined
    ? { items: items_, total: items.length }
    : { items: items_, total: items.length, next };
}
