import { recordingRepository, TenantScope } from '@provod/db';
import type { ServiceDeps } from '../services/service-context.ts';
import { nodeSigner } from './node-signer.ts';

/**
 * Links to a call's recording for people outside Provod — a CRM's users play the call from
 * the CRM's card without a Provod login. The link names the tenant and the recording,
 * carries an expiry (the end of the recording's retention) and an HMAC-SHA256 of the three
 * under a secret every node shares, so it cannot be altered to reach another recording or
 * to outlive the recording.
 */
export interface RecordingLinks {
  /** The link, or null when the recording does not exist. */
  linkFor(tenantId: string, recordingId: string): Promise<SharedRecording | null>;
  /** Whether a link's parts are genuine and not yet expired. */
  verify(link: SignedRecording): Promise<boolean>;
}

export interface SharedRecording {
  readonly url: string;
  /** `<recording id>.<format>`: CRMs that store files want a name with its kind. */
  readonly fileName: string;
}

export interface SignedRecording {
  readonly tenantId: string;
  readonly recordingId: string;
  /** Unix seconds. */
  readonly expires: number;
  readonly signature: string;
}

export const sharedRecordingPath = '/api/v1/shared/recordings';

export function recordingLinks(deps: ServiceDeps, publicUrl: string): RecordingLinks {
  const signer = nodeSigner(deps, 'recording-links');
  const signed = (tenantId: string, recordingId: string, expires: number) =>
    `${tenantId}\n${recordingId}\n${expires}`;

  return {
    async linkFor(tenantId, recordingId) {
      const scope = new TenantScope(deps.database.db, tenantId);
      const recording = await recordingRepository(scope, deps.clock).get(recordingId);
      if (recording === undefined) return null;
      const expires = Math.floor(Date.parse(recording.expiresAt) / 1000);
      const query = new URLSearchParams({
        tenant: tenantId,
        expires: String(expires),
        signature: await signer.sign(signed(tenantId, recordingId, expires)),
      });
      return {
        url: `${publicUrl}${sharedRecordingPath}/${recordingId}?${query.toString()}`,
        fileName: `${recording.id}.${recording.format}`,
      };
    },

    async verify(link) {
      if (link.expires * 1000 < deps.clock().getTime()) return false;
      return signer.verify(signed(link.tenantId, link.recordingId, link.expires), link.signature);
    },
  };
}
