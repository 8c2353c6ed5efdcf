import { callEventSchema, type ActiveCall, type CallEvent } from '@provod/contracts';
import { onBeforeUnmount, onMounted, ref, type Ref } from 'vue';

/** The calls in progress after one feed message (docs/live-calls.md). */
export function applyCallEvent(calls: readonly ActiveCall[], event: CallEvent): ActiveCall[] {
  switch (event.type) {
    case 'snapshot':
      return [...event.calls];
    case 'call.started':
      return [...calls.filter((call) => call.callId !== event.call.callId), event.call];
    case 'call.answered':
      return calls.map((call) => (call.callId === event.call.callId ? event.call : call));
    case 'call.ended':
      return calls.filter((call) => call.callId !== event.call.callId);
  }
}

/** The feed's address on the cabinet's own origin (the session cookie goes with it). */
export function feedUrl(location: Pick<Location, 'protocol' | 'host'>): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/v1/events`;
}

/** Reconnect after 1 s, doubling to 30 s: a restarted server is back in the panel soon. */
export function reconnectDelayMs(attempt: number): number {
  return Math.min(30_000, 1000 * 2 ** attempt);
}

export type FeedState = 'connecting' | 'live' | 'offline';

/**
 * The live panel's data: the tenant's calls in progress, kept current by the WebSocket
 * feed while the component is mounted; a message that is not a call event is ignored.
 */
export function useLiveCalls(): { calls: Ref<ActiveCall[]>; state: Ref<FeedState> } {
  const calls = ref<ActiveCall[]>([]);
  const state = ref<FeedState>('connecting');
  let socket: WebSocket | undefined;
  let retry: ReturnType<typeof setTimeout> | undefined;
  let attempt = 0;
  let closed = false;

  function connect(): void {
    state.value = 'connecting';
    socket = new WebSocket(feedUrl(window.location));
    socket.addEventListener('open', () => {
      attempt = 0;
      state.value = 'live';
    });
    socket.addEventListener('message', (message: MessageEvent<string>) => {
      const parsed = callEventSchema.safeParse(JSON.parse(message.data));
      if (parsed.success) calls.value = applyCallEvent(calls.value, parsed.data);
    });
    socket.addEventListener('close', () => {
      state.value = 'offline';
      if (!closed) retry = setTimeout(connect, reconnectDelayMs(attempt++));
    });
  }

  onMounted(connect);
  onBeforeUnmount(() => {
    closed = true;
    if (retry !== undefined) clearTimeout(retry);
    socket?.close();
  });
  return { calls, state };
}
