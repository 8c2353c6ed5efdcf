import type { Actor, Role } from '@provod/contracts';

/** Who is calling the API, resolved once per request by the auth layer. */
export interface Principal {
  actor: Actor;
  role: Role;
  /** null for the operator's staff. */
  tenantId: string | null;
  userId: string | null;
  /** Set for cookie sessions: writes must echo it in X-CSRF-Token. */
  csrfToken: string | null;
}
