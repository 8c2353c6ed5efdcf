import type { ServiceDeps } from '../services/service-context.ts';
import { nodeSigner } from './node-signer.ts';

/**
 * The `state` of a CRM install: which tenant asked to connect, and what (a connection's
 * name, or the pending connection), until when — signed with a secret all nodes share, so
 * the public URL the CRM comes back to can only install what that tenant asked for.
 */
export interface InstallRequest {
  readonly tenantId: string;
  /** The connection's name (amoCRM) or the pending connection's id (Bitrix24). */
  readonly subject: string;
  /** Unix seconds. */
  readonly expires: number;
}

export function installStates(deps: ServiceDeps) {
  const signer = nodeSigner(deps, 'crm-install-state');

  return {
    async issue(tenantId: string, subject: string, lifetimeSeconds: number): Promise<string> {
      const expires = Math.floor(deps.clock().getTime() / 1000) + lifetimeSeconds;
      const payload = Buffer.from(JSON.stringify({ tenantId, subject, expires })).toString(
        'base64url',
      );
      return `${payload}.${await signer.sign(payload)}`;
    },

    /** The request behind a genuine, unexpired state; null for anything else. */
    async read(state: string): Promise<InstallRequest | null> {
      const [payload = '', signature = ''] = state.split('.');
      if (!(await signer.verify(payload, signature))) return null;
      let request: unknown;
      try {
        request = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
      } catch {
        return null;
      }
      if (typeof request !== 'object' || request === null) return null;
      const { tenantId, subject, expires } = request as Record<string, unknown>;
      if (
        typeof tenantId !== 'string' ||
        typeof subject !== 'string' ||
        typeof expires !== 'number'
      )
        return null;
      if (expires * 1000 < deps.clock().getTime()) return null;
      return { tenantId, subject, expires };
    },
  };
}
