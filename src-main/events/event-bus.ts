/**
 * The typed bus of the events main pushes to the renderer (`ipcEvents` of the contract). Services
 * emit; the Electron glue and the browser host subscribe and forward to their windows.
 */
import type { EventName, EventPayload } from '../../src-shared/ipc-contract';

type AnyListener = (name: EventName, payload: unknown) => void;

/** In-process event bus; one per `compose()`. */
export class EventBus {
  private readonly listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  private readonly allListeners = new Set<AnyListener>();

  /** Delivers `payload` to every listener of `name`; a throwing listener does not stop the others. */
  emit<E extends EventName>(name: E, payload: EventPayload<E>): void {
    for (const l of this.listeners.get(name) ?? []) {
      try {
        l(payload);
      } catch {
        // A broken subscriber (e.g. a closed window) must not break the service that emitted.
      }
    }
    for (const l of this.allListeners) {
      try {
        l(name, payload);
      } catch {
        // Same as above.
      }
    }
  }

  /** Subscribes to one event; returns the unsubscribe function. */
  on<E extends EventName>(name: E, listener: (payload: EventPayload<E>) => void): () => void {
    let set = this.listeners.get(name);
    if (!set) this.listeners.set(name, (set = new Set()));
    const l = listener as (payload: unknown) => void;
    set.add(l);
    return () => set.delete(l);
  }

  /** Subscribes to every event (transports forward them all); returns the unsubscribe function. */
  onAny(listener: AnyListener): () => void {
    this.allListeners.add(listener);
    return () => this.allListeners.delete(listener);
  }
}
