/**
 * The WebSockets public/held-sockets.js opened before the app's scripts ran: a transport takes its socket over here
 * instead of opening one, attaches its listeners, then replays what the socket got meanwhile (open, messages, close) in
 * order. Each socket is handed out once; a later connection (a database reopened) opens its own.
 */
type HeldEventType = 'open' | 'message' | 'error' | 'close';

interface HeldSocket {
  socket: WebSocket;
  events: Event[];
  keep: (event: Event) => void;
}

declare global {
  interface Window {
    frontdeskHeldSockets?: Record<string, HeldSocket | undefined>;
  }
}

const TYPES: readonly HeldEventType[] = ['open', 'message', 'error', 'close'];

export interface TakenSocket {
  socket: WebSocket;
  /** Call once the listeners are attached: dispatches to them what the socket got before. */
  replay(): void;
}

/**
 * The held socket for `url` (same path and token), or undefined: then the caller opens its own. The replay must
 * follow in the same task as the listeners' attachment, so no new event can come between.
 */
export function takeHeldSocket(url: string): TakenSocket | undefined {
  // Outside a page (the storage's tests run it in Node) nothing was held.
  if (typeof window === 'undefined') return undefined;
  const wanted = new URL(url);
  // Set even when empty: public/held-sockets.js, if it arrives after the app's code ran, then opens nothing.
  window.frontdeskHeldSockets ??= {};
  const held = window.frontdeskHeldSockets[wanted.pathname];
  if (!held) return undefined;
  const heldUrl = new URL(held.socket.url);
  if (heldUrl.searchParams.get('token') !== wanted.searchParams.get('token') || heldUrl.host !== wanted.host) return undefined;
  delete window.frontdeskHeldSockets[wanted.pathname];
  for (const type of TYPES) held.socket.removeEventListener(type, held.keep);
  return {
    socket: held.socket,
    replay() {
      for (const event of held.events.splice(0)) held.socket.dispatchEvent(copyOf(event));
    },
  };
}

/** An event that was dispatched once cannot be dispatched again: a fresh one with the same content. */
function copyOf(event: Event): Event {
  if (event.type === 'message') return new MessageEvent('message', { data: (event as MessageEvent).data });
  if (event.type === 'close') {
    const { code, reason, wasClean } = event as CloseEvent;
    return new CloseEvent('close', { code, reason, wasClean });
  }
  return new Event(event.type);
}
