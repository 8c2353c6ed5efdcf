/** A call's lifecycle as call control reports it, for the live panel and webhooks. */
export type CallLifecycleEvent =
  | { readonly type: 'started'; readonly call: CallIdentity }
  | { readonly type: 'answered'; readonly callId: string; readonly by: string; readonly at: Date }
  | { readonly type: 'ended'; readonly callId: string; readonly reason: string; readonly at: Date };

export interface CallIdentity {
  readonly callId: string;
  readonly direction: 'internal' | 'inbound' | 'outbound';
  readonly caller: string;
  readonly callee: string;
  readonly startedAt: Date;
}

/** Where call control reports call lifecycles: the server's event bus; tests a list. */
export type CallEventSink = (tenantId: string, event: CallLifecycleEvent) => void;
