import type { CallRecord } from '../call-model.ts';
import type { ResponsibleSource } from './rules.ts';

/** A CRM user as the automatic match needs it (amoCRM users have no extension). */
export interface CrmUser {
  readonly id: number;
  readonly email: string | null;
  readonly isActive: boolean;
  /** Bitrix24's UF_PHONE_INNER. */
  readonly extension?: string | null;
}

/** The CRM record whose responsible may take the call: a contact, or a Bitrix24 lead. */
export interface ResponsibleHolder {
  readonly id: number;
  readonly responsibleUserId: number | null;
  /** How the trace names it; `contact` when not given. */
  readonly kind?: string;
}

export interface ResponsibleRules {
  readonly responsibleOrder: readonly ResponsibleSource[];
  readonly fallbackUserId: number;
  readonly lineFallbackUsers: Readonly<Record<string, number>>;
}

/** An extension as the PBX knows it, with the e-mail of the employee who has it. */
export interface ExtensionOwner {
  readonly extension: string;
  readonly email: string | null;
}

/**
 * Extension → CRM user: the tenant's manual mapping first, then the active user with the
 * same e-mail (case-insensitive), then — Bitrix24 only — the active user whose inner
 * phone (UF_PHONE_INNER) is the extension. amoCRM's users API carries no phone number
 * (account-info page), so there e-mail is the only automatic key.
 */
export function buildExtensionUserMap(
  owners: readonly ExtensionOwner[],
  users: readonly CrmUser[],
  manual: Readonly<Record<string, number>>,
): Map<string, number> {
  const byEmail = new Map<string, number>();
  const map = new Map<string, number>();
  for (const user of users) {
    if (!user.isActive) continue;
    if (user.email !== null) byEmail.set(user.email.trim().toLowerCase(), user.id);
    const inner = user.extension?.trim() ?? '';
    if (inner !== '') map.set(inner, user.id);
  }
  for (const owner of owners) {
    const id = owner.email === null ? undefined : byEmail.get(owner.email.trim().toLowerCase());
    if (id !== undefined) map.set(owner.extension, id);
  }
  for (const [extension, id] of Object.entries(manual)) map.set(extension, id);
  return map;
}

export interface ResponsibleChoice {
  readonly userId: number;
  /** The rule that named them. */
  readonly source: ResponsibleSource | 'fallback';
  /** Which rule decided, for the trace ("employee: extension 101"). */
  readonly reason: string;
}

/**
 * Who the employee of the call is: who dialled an outbound call, who answered an inbound
 * one — and for a transferred call the extension it was last transferred to, who took it.
 */
function employeeExtension(call: CallRecord): string | null {
  const target = call.transfers.at(-1)?.to ?? null;
  if (target !== null && /^\d{2,6}$/.test(target)) return target;
  return call.direction === 'outbound' ? call.callerNumber : call.answeredBy;
}

/** The line's own fallback: by the trunk, else by the dialled number of an inbound call. */
function lineFallback(call: CallRecord, rules: ResponsibleRules): ResponsibleChoice | null {
  const lines = [call.trunk, call.direction === 'inbound' ? call.calledNumber : null];
  for (const line of lines) {
    const userId = line === null ? undefined : rules.lineFallbackUsers[line];
    if (userId !== undefined)
      return { userId, source: 'fallback', reason: `fallback user of ${line}` };
  }
  return null;
}

function candidate(
  source: ResponsibleSource,
  call: CallRecord,
  holder: ResponsibleHolder | null,
  users: ReadonlyMap<string, number>,
): ResponsibleChoice | null {
  const viaExtension = (extension: string | null | undefined, label: string) => {
    if (extension === null || extension === undefined) return null;
    const userId = users.get(extension);
    return userId === undefined
      ? null
      : { userId, source, reason: `${label}: extension ${extension}` };
  };
  switch (source) {
    case 'employee':
      return viaExtension(employeeExtension(call), 'employee');
    case 'contact_responsible': {
      const userId = holder?.responsibleUserId ?? null;
      return holder === null || userId === null
        ? null
        : {
            userId,
            source,
            reason: `${holder.kind ?? 'contact'} ${holder.id}'s responsible`,
          };
    }
    case 'first_rung':
      return viaExtension(call.extensionsRung[0], 'first rung');
    case 'last_rung':
      return viaExtension(call.extensionsRung.at(-1), 'last rung');
  }
}

/**
 * Whether knowing the client's record could change the choice made without it: only when
 * `contact_responsible` comes before the source that decided. Bitrix24's 2 requests/s
 * are too few to read the record when it cannot matter.
 */
export function holderMatters(rules: ResponsibleRules, withoutHolder: ResponsibleChoice): boolean {
  const holderAt = rules.responsibleOrder.indexOf('contact_responsible');
  if (holderAt === -1) return false;
  return (
    withoutHolder.source === 'fallback' ||
    rules.responsibleOrder.indexOf(withoutHolder.source) > holderAt
  );
}

/** The first source in the tenant's order that names a user, else the fallback user. */
export function chooseResponsible(
  call: CallRecord,
  rules: ResponsibleRules,
  holder: ResponsibleHolder | null,
  users: ReadonlyMap<string, number>,
): ResponsibleChoice {
  for (const source of rules.responsibleOrder) {
    const choice = candidate(source, call, holder, users);
    if (choice !== null) return choice;
  }
  return (
    lineFallback(call, rules) ?? {
      userId: rules.fallbackUserId,
      source: 'fallback',
      reason: 'fallback user',
    }
  );
}
