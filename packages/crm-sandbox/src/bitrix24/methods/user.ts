/**
 * user.get with FILTER (or filter keys at the top level), UF_PHONE_INNER and ACTIVE.
 * api-reference/user/user-get.md (bitrix24/b24restdocs): extensions live in
 * UF_PHONE_INNER (CRM-FACTS #12); pages of 50 with `total`/`next`.
 */
import { page, type MethodDefinition } from '../method-registry.ts';
import {
  isJsonObject,
  param,
  paramInt,
  scalarText,
  type Json,
  type JsonObject,
} from '../params.ts';
import type { SandboxUser } from '../store.ts';

const controlKeys = new Set([
  'SORT',
  'ORDER',
  'FILTER',
  'ADMIN_MODE',
  'SELECT',
  'IMAGE_RESIZE',
  'START',
]);

function userView(user: SandboxUser): JsonObject {
  return {
    ID: String(user.ID),
    ACTIVE: user.ACTIVE,
    NAME: user.NAME,
    LAST_NAME: user.LAST_NAME,
    EMAIL: user.EMAIL,
    UF_PHONE_INNER: user.UF_PHONE_INNER,
    USER_TYPE: 'employee',
  };
}

function matches(user: SandboxUser, rawKey: string, wanted: Json): boolean {
  const match = /^(!=|=|!@|@|!|%)?(.*)$/.exec(rawKey);
  const operator = match?.[1] ?? '=';
  const field = (match?.[2] ?? rawKey).toUpperCase();
  const view = userView(user);
  const actual = view[field];
  if (actual === undefined) return true;
  const wantedList = (Array.isArray(wanted) ? wanted : [wanted]).map((value) =>
    normalise(field, value),
  );
  const value = normalise(field, actual);
  switch (operator) {
    case '!':
    case '!=':
    case '!@':
      return !wantedList.includes(value);
    case '%':
      return wantedList.some((part) => value.toLowerCase().includes(part.toLowerCase()));
    default:
      return wantedList.includes(value);
  }
}

/** ACTIVE is filtered with true/'Y'; everything else compares as text. */
function normalise(field: string, value: Json): string {
  if (field === 'ACTIVE')
    return value === true || value === 'Y' || value === 'true' || value === '1' ? 'Y' : 'N';
  return scalarText(value);
}

const userGet: MethodDefinition = {
  name: 'user.get',
  scope: 'user',
  appOnly: false,
  run({ params, portal }) {
    const filterParam = param(params, 'FILTER');
    const filter: JsonObject = isJsonObject(filterParam) ? { ...filterParam } : {};
    for (const [key, value] of Object.entries(params)) {
      if (!controlKeys.has(key.toUpperCase())) filter[key] = value;
    }
    const users = [...portal.store.users.values()]
      .filter((user) => Object.entries(filter).every(([key, value]) => matches(user, key, value)))
      .sort((a, b) => a.ID - b.ID);
    const selected = page(users, paramInt(params, 'START'));
    const result = selected.items.map(userView);
    return {
      result,
      total: selected.total,
      ...(selected.next === undefined ? {} : { next: selected.next }),
    };
  },
};

export const userMethods: readonly MethodDefinition[] = [userGet];
