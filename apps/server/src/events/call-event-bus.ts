import type { ActiveCall, CallEvent } from '@provod/contracts';
import type { CallLifecycleEvent } from '@provod/pbx';

type Listener = (event: CallEvent) => void;

/**
 * The calls in progress on this node and their changes, per tenant: call control
 * publishes lifecycles, the live feed (/api/v1/events) and `GET /api/v1/calls/active`
 * read them. A listener that throws is dropped, so one broken socket cannot stop others.
 */
export function callEventBus() {
  const active = new Map<string, Map<string, ActiveCall>>();
  const listeners = new Map<string, Set<Listener>>();

  function emit(tenantId: string, event: CallEvent): void {
    for (const listener of listeners.get(tenantId) ?? []) {
      try {
        listener(event);
      } catch {
        listeners.get(tenantId)?.delete(listener);
      }
    }
  }

  return {
    publish(tenantId: string, event: CallLifecycleEvent): void {
      const calls = active.get(tenantId) ?? new Map<string, ActiveCall>();
      active.set(tenantId, calls);
      switch (event.type) {
        case 'started': {
          const call: ActiveCall = {
            ...event.call,
            startedAt: event.call.startedAt.toISOString(),
            answeredAt: null,
            answeredBy: null,
          };
          calls.set(call.callId, call);
          emit(tenantId, { type: 'call.started', call });
          return;
        }
        case 'answered': {
          const before = calls.get(event.callId);
          if (before === undefined) return;
          const call = { ...before, answeredAt: event.at.toISOString(), answeredBy: event.by };
          calls.set(call.callId, call);
          emit(tenantId, { type: 'call.answered', call });
          return;
        }
        case 'ended': {
          const call = calls.get(event.callId);
          if (call === undefined) return;
          calls.delete(event.callId);
          if (calls.size === 0) active.delete(tenantId);
          emit(tenantId, {
            type: 'call.ended',
            call,
            endedAt: event.at.toISOString(),
            reason: event.reason,
          });
        }
      }
    },

    /** The tenant's calls in progress, oldest first. */
    active(tenantId: string): ActiveCall[] {
      return [...(active.get(tenantId)?.values() ?? [])];
    },

    /** Sends the snapshot, then every change, until the returned function is called. */
    subscribe(tenantId: string, listener: Listener): () => void {
      const set = listeners.get(tenantId) ?? new Set<Listener>();
      listeners.set(tenantId, set);
      set.add(listener);
      listener({ type: 'snapshot', calls: this.active(tenantId) });
      return () => {
        set.delete(listener);
        if (set.size === 0) listeners.delete(tenantId);
      };
    },
  };
}

export type CallEventBus = ReturnType<typeof callEventBus>;
