import type { Trunk, TrunkTransport } from '@provod/contracts';
import type { TrunkView } from '../api/provod-api.ts';

/**
 * The trunk form's model: strings where the user types (empty: none), the prefixes as a
 * tag list. The password is write-only: the draft starts empty whatever the API sent, and
 * an empty field on edit means "keep"; removing it is an explicit choice.
 */
export interface TrunkDraft {
  name: string;
  host: string;
  port: number;
  transport: TrunkTransport;
  username: string;
  authUsername: string;
  fromDomain: string;
  password: string;
  clearPassword: boolean;
  register: boolean;
  registerExpiresSeconds: number;
  dialPrefixes: string[];
  priority: number;
  enabled: boolean;
}

/** The API's defaults (trunkCreateSchema), so a new trunk's form shows what it will get. */
export function draftFromTrunk(trunk: Trunk | null): TrunkDraft {
  return {
    name: trunk?.name ?? '',
    host: trunk?.host ?? '',
    port: trunk?.port ?? 5060,
    transport: trunk?.transport ?? 'udp',
    username: trunk?.username ?? '',
    authUsername: trunk?.authUsername ?? '',
    fromDomain: trunk?.fromDomain ?? '',
    password: '',
    clearPassword: false,
    register: trunk?.register ?? false,
    registerExpiresSeconds: trunk?.registerExpiresSeconds ?? 300,
    dialPrefixes: [...(trunk?.dialPrefixes ?? [])],
    priority: trunk?.priority ?? 100,
    enabled: trunk?.enabled ?? true,
  };
}

const orNull = (text: string) => (text.trim() === '' ? null : text.trim());

/**
 * The body for POST /trunks or PATCH /trunks/:id; the contract (trunkCreateSchema /
 * trunkUpdateSchema) judges it. On edit the password is sent only when typed (replace) or
 * removed on purpose (null); otherwise the stored one stays.
 */
export function payloadFromDraft(draft: TrunkDraft, mode: 'create' | 'update') {
  const fields = {
    name: draft.name,
    host: draft.host,
    port: draft.port,
    transport: draft.transport,
    username: orNull(draft.username),
    authUsername: orNull(draft.authUsername),
    fromDomain: orNull(draft.fromDomain),
    register: draft.register,
    registerExpiresSeconds: draft.registerExpiresSeconds,
    dialPrefixes: draft.dialPrefixes.map((prefix) => prefix.trim()),
    priority: draft.priority,
    enabled: draft.enabled,
  };
  if (mode === 'create')
    return { ...fields, password: draft.password === '' ? null : draft.password };
  if (draft.clearPassword) return { ...fields, password: null };
  return draft.password === '' ? fields : { ...fields, password: draft.password };
}

/**
 * What the form may say about the stored password without showing it: roles with
 * numberplan:secrets get the field from the API (set or null); others do not know.
 */
export function passwordState(trunk: TrunkView | null): 'set' | 'none' | 'unknown' {
  if (trunk === null) return 'none';
  if (!('password' in trunk)) return 'unknown';
  return trunk.password === null ? 'none' : 'set';
}
