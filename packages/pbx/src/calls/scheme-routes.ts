import type { RoutingGraph } from '@provod/contracts';
import type { Prompt } from '@provod/media';
import type { TenantDirectory } from '../routing/routing-context.ts';

/**
 * Where a call to one of a tenant's phone numbers goes: the number's routing scheme, in
 * the version that is current when the call arrives (a scheme published mid-call does
 * not change the calls already walking it).
 */
export interface SchemeRoute {
  readonly tenantId: string;
  /** The tenant's SIP domain: the realm of its phones and the host of its URIs. */
  readonly domain: string;
  /** The tenant's IANA time zone, for schedule nodes. */
  readonly timeZone: string;
  /** The tenant's language ('ru' | 'en'), for built-in prompts. */
  readonly language: string;
  /** The dialled number in E.164 (+74951234567), as the phone-number table keeps it. */
  readonly number: string;
  readonly schemeId: string;
  readonly schemeVersion: number;
  readonly graph: RoutingGraph;
  /** The trunk that alone may deliver the number; null: any of the tenant's trunks. */
  readonly trunkId: string | null;
}

/** Why a number does not route: unknown to Provod, or known but with no scheme attached. */
export type SchemeLookup =
  | { readonly kind: 'routed'; readonly route: SchemeRoute }
  | { readonly kind: 'unknown_number' }
  | { readonly kind: 'no_scheme'; readonly tenantId: string; readonly trunkId: string | null };

/**
 * What routed calls read of the tenant's data, as plain async functions: the server
 * answers from the database, tests from memory.
 */
export interface SchemeDirectory {
  /**
   * The scheme of a phone number. `number` is as dialled (E.164 with or without '+', or
   * a Russian national 8xxxxxxxxxx); the directory normalises it. With `tenantId`, only
   * that tenant's numbers count (an extension dialling its own company's number).
   */
  schemeFor(number: string, tenantId?: string): Promise<SchemeLookup>;
  /**
   * The tenant's trunk that `address` (a request's source IP) belongs to, by its host —
   * carriers authenticate by address; undefined when the address is none of its trunks'.
   * With `only`, just that trunk counts (a number tied to its trunk).
   */
  trunkAt(
    tenantId: string,
    address: string,
    only: string | null,
  ): Promise<{ readonly name: string } | undefined>;
  /** The tenant's extensions and who is registered, loaded once per call. */
  tenantDirectory(tenantId: string): Promise<TenantDirectory>;
}

/**
 * The audio of a sound a node names: a tenant's uploaded sound by id, or the built-in one
 * for the purpose when the node names none. Built-in prompts speak the tenant's language.
 */
export type BuiltInPrompt =
  /** An IVR menu without its own prompt: "please dial an extension number". */
  | 'menu'
  /** Before a voicemail recording: "leave a message after the tone". */
  | 'voicemail_greeting'
  /** The tone that starts a recording. */
  | 'beep'
  /** Music on hold while a caller waits in a queue. */
  | 'music_on_hold'
  /** "The number you dialled is not available" before a hang-up. */
  | 'unavailable';

export interface PromptStore {
  /**
   * Resolves to the prompt, ready to play. An uploaded sound that is missing, unreadable
   * or not this tenant's falls back to the built-in one (logged): a caller hears a prompt,
   * never silence because a file broke.
   */
  prompt(tenantId: string, soundId: string | null, fallback: BuiltInPrompt): Promise<Prompt>;
}

/** A voicemail message being recorded: where its file goes, and keeping or dropping it. */
export interface VoicemailDraft {
  /** Keeps the message (its WAV bytes) in the mailbox, visible through the API. */
  save(message: {
    readonly caller: string;
    readonly wav: Buffer;
    readonly durationMs: number;
  }): Promise<void>;
}

/** The tenants' mailboxes, one per extension that keeps voicemail. */
export interface VoicemailBoxes {
  /** A new message for the extension's mailbox; undefined when it has none. */
  open(tenantId: string, mailbox: string): Promise<VoicemailDraft | undefined>;
}
