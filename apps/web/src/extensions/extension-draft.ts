import type { Extension, ForwardTarget, ForwardingRules } from '@provod/contracts';

/** A forwarding target as the form edits it: a kind from a select and a number typed. */
export type TargetKind = 'none' | ForwardTarget['kind'];
export interface TargetDraft {
  kind: TargetKind;
  number: string;
}

export type ForwardingCondition = 'unconditional' | 'busy' | 'noAnswer' | 'unreachable';
export const forwardingConditions: readonly ForwardingCondition[] = [
  'unconditional',
  'busy',
  'noAnswer',
  'unreachable',
];

/**
 * The extension form's model: strings where the user types, so a half-typed value stays
 * on screen; the contract (extensionCreateSchema / extensionUpdateSchema) judges the
 * payload built from it.
 */
export interface ExtensionDraft {
  number: string;
  displayName: string;
  callerId: string;
  voicemailEnabled: boolean;
  voicemailEmail: string;
  doNotDisturb: boolean;
  recording: Extension['recording'];
  /** The person who uses this extension (their softphone registers as it); null: nobody. */
  userId: string | null;
  sipPassword: string;
  forwarding: Record<ForwardingCondition, TargetDraft>;
  noAnswerAfterSeconds: number;
}

/** Ring this long before "no answer" forwarding, unless the extension says otherwise. */
const defaultNoAnswerSeconds = 20;

export function draftFromExtension(extension: Extension | null): ExtensionDraft {
  const rules = extension?.forwarding;
  return {
    number: extension?.number ?? '',
    displayName: extension?.displayName ?? '',
    callerId: extension?.callerId ?? '',
    voicemailEnabled: extension?.voicemailEnabled ?? true,
    voicemailEmail: extension?.voicemailEmail ?? '',
    doNotDisturb: extension?.doNotDisturb ?? false,
    recording: extension?.recording ?? 'never',
    userId: extension?.userId ?? null,
    sipPassword: '',
    forwarding: {
      unconditional: targetDraft(rules?.unconditional ?? null),
      busy: targetDraft(rules?.busy ?? null),
      noAnswer: targetDraft(rules?.noAnswer?.target ?? null),
      unreachable: targetDraft(rules?.unreachable ?? null),
    },
    noAnswerAfterSeconds: rules?.noAnswer?.afterSeconds ?? defaultNoAnswerSeconds,
  };
}

function targetDraft(target: ForwardTarget | null): TargetDraft {
  if (target === null) return { kind: 'none', number: '' };
  return { kind: target.kind, number: target.kind === 'voicemail' ? '' : target.number };
}

/** Null for "none"; the number is trimmed, and the contract decides whether it is valid. */
export function targetFromDraft(draft: TargetDraft): ForwardTarget | null {
  switch (draft.kind) {
    case 'none':
      return null;
    case 'voicemail':
      return { kind: 'voicemail' };
    case 'extension':
    case 'external':
      return { kind: draft.kind, number: draft.number.trim() };
  }
}

export function forwardingFromDraft(draft: ExtensionDraft): ForwardingRules {
  const noAnswer = targetFromDraft(draft.forwarding.noAnswer);
  return {
    unconditional: targetFromDraft(draft.forwarding.unconditional),
    busy: targetFromDraft(draft.forwarding.busy),
    noAnswer:
      noAnswer === null ? null : { target: noAnswer, afterSeconds: draft.noAnswerAfterSeconds },
    unreachable: targetFromDraft(draft.forwarding.unreachable),
  };
}

/**
 * The body for POST /extensions (with the number) or PATCH /extensions/:id (without: a
 * number is the SIP username and does not change). Empty optional fields mean "none";
 * an empty password means "keep" (or "generate" on creation).
 */
export function payloadFromDraft(draft: ExtensionDraft, mode: 'create' | 'update') {
  const fields = {
    displayName: draft.displayName,
    callerId: draft.callerId.trim() === '' ? null : draft.callerId.trim(),
    voicemailEnabled: draft.voicemailEnabled,
    voicemailEmail: draft.voicemailEmail.trim() === '' ? null : draft.voicemailEmail.trim(),
    doNotDisturb: draft.doNotDisturb,
    recording: draft.recording,
    userId: draft.userId,
    forwarding: forwardingFromDraft(draft),
    ...(draft.sipPassword !== '' && { sipPassword: draft.sipPassword }),
  };
  return mode === 'create' ? { number: draft.number.trim(), ...fields } : fields;
}
