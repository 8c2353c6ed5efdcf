import type { CallRecord } from '../call-model.ts';
import type { AmoContact, AmoUser } from '../amocrm/model.ts';
import type { AmoCrmRules, ResponsibleSource } from './rules.ts';

/** An extension as the PBX knows it, with the e-mail of the employee who has it. */
export interface ExtensionOwner {
  readonly extension: string;
  readonly email: string | null;
}

/**
 * Extension → amoCRM user: the tenant's manual mapping first, then the active amoCRM user
 * with the same e-mail (case-insensitive). amoCRM's users API carries no phone number
 * (account-info page), so e-mail is the only automatic key.
 */
export function buildExtensionUserMap(
  owners: readonly ExtensionOwner[],
  users: readonly AmoUser[],
  manual: Readonly<Record<string, number>>,
): Map<string, number> {
  const byEmail = new Map<string, number>();
  for (const user of users) {
    if (user.isActive && user.email !== null) byEmail.set(user.email.trim().toLowerCase(), user.id);
  }
  const map = new Map<string, number>();
  for (const owner of owners) {
    const id = owner.email === null ? undefined : byEmail.get(owner.email.trim().toLowerCase());
    if (id !== undefined) map.set(owner.extension, id);
  }
  for (const [extension, id] of Object.entries(manual)) map.set(extension, id);
  return map;
}

export interface ResponsibleChoice {
  readonly userId: number;
  /** Which rule decided, for the trace ("employee: extension 101"). */
  readonly reason: string;
}

function employeeExtension(call: CallRecord): string | null {
  return call.direction === 'outbound' ? call.callerNumber : call.answeredBy;
}

function candidate(
  source: ResponsibleSource,
  call: CallRecord,
  contact: AmoContact | null,
  users: ReadonlyMap<string, number>,
): ResponsibleChoice | null {
  const viaExtension = (extension: string | null | undefined, label: string) => {
    if (extension === null || extension === undefined) return null;
    const userId = users.get(extension);
    return userId === undefined ? null : { userId, reason: `${label}: extension ${extension}` };
  };
  switch (source) {
    case 'employee':
      return viaExtension(employeeExtension(call), 'employee');
    case 'contact_responsible': {
      const userId = contact?.responsibleUserId ?? null;
      return contact === null || userId === null
        ? null
        : { userId, reason: `contact ${contact.id}'s responsible` };
    }
    case 'first_rung':
      return viaExtension(call.extensionsRung[0], 'first rung');
    case 'last_rung':
      return viaExtension(call.extensionsRung.at(-1), 'last rung');
  }
}

/** The first source in the tenant's order that names a user, else the fallback user. */
export function chooseResponsible(
  call: CallRecord,
  rules: AmoCrmRules,
  contact: AmoContact | null,
  users: ReadonlyMap<string, number>,
): ResponsibleChoice {
  for (const source of rules.responsibleOrder) {
    const choice = candidate(source, call, contact, users);
    if (choice !== null) return choice;
  }
  return { userId: rules.fallbackUserId, reason: 'fallback user' };
}
