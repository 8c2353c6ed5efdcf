/**
 * What the HTTP routes of the sandbox share: the portal's state, the authorization server,
 * the request bucket, the fault plan and how to reach the sandbox from outside.
 */
import type { FaultPlan } from '../common/faults.ts';
import type { OAuthServer } from './auth.ts';
import type { MethodCaller } from './dispatch.ts';
import type { LeakyBucket } from './leaky-bucket.ts';
import type { MethodTable, Portal } from './method-registry.ts';

export interface SandboxRuntime {
  readonly portal: Portal;
  readonly oauth: OAuthServer;
  readonly bucket: LeakyBucket;
  readonly faults: FaultPlan;
  readonly methods: MethodTable;
  readonly call: MethodCaller;
  readonly domain: string;
  readonly memberId: string;
  /** Requests parked by a `hang` fault; released (connection closed) when the app closes. */
  readonly hanging: Set<() => void>;
  /** Base URL seen on the last request, unless fixed by options.publicUrl. */
  baseUrl: string;
  readonly fixedBaseUrl: boolean;
}
