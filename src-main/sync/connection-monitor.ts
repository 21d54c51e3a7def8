/**
 * C1: whether the platform answers. Every request reports reachability (any failed request flips
 * the state at once); while online a heartbeat probes the platform, and while offline a timer does,
 * so both "gone" and "back" are noticed within a few seconds even when nobody is clicking.
 * `recheck()` probes now (a reload of the console asks at once). It learns from the platform client's
 * reachability events and announces changes as `onDidChangeConnection` (which the auth service
 * also follows, to re-check the session on reconnect).
 */
import type { EventBus } from '../events/event-bus';
import type { PlatformClient } from '../platform/platform-client';

export interface ConnectionMonitorOptions {
  events: EventBus;
  /** What every request reports, and the probe. */
  client: Pick<PlatformClient, 'probe' | 'onReachability'>;
  now: () => Date;
  /** Delay between probes while offline (default 2 s). */
  probeIntervalMs?: number;
  /** Delay between probes while online (default 2 s; 0 disables the heartbeat). */
  heartbeatIntervalMs?: number;
}

/** Tracks online/offline and probes the platform on a timer. */
export class ConnectionMonitor {
  private isOnline = true;
  private since: string | null = null;
  private timer: NodeJS.Timeout | null = null;
  private probing: Promise<boolean> | null = null;
  private disposed = false;

  private readonly unsubscribe: () => void;

  constructor(private readonly opts: ConnectionMonitorOptions) {
    this.unsubscribe = opts.client.onReachability((reachable) => this.report(reachable));
    this.schedule();
  }

  get online(): boolean {
    return this.isOnline;
  }

  /** When the platform stopped answering, or null while online. */
  get offlineSince(): string | null {
    return this.since;
  }

  /** Records one observation (from a request or a probe). */
  report(reachable: boolean): void {
    if (this.disposed || reachable === this.isOnline) return;
    this.isOnline = reachable;
    this.since = reachable ? null : this.opts.now().toISOString();
    this.opts.events.emit('onDidChangeConnection', { online: reachable, offlineSince: this.since });
    // The next probe follows the new state's period.
    this.schedule();
  }

  /** Probes now (joining a probe already running); resolves with the state after it. */
  async recheck(): Promise<boolean> {
    if (this.disposed) return this.isOnline;
    // probe() reports through the client's reachability event, which calls report().
    this.probing ??= this.opts.client.probe().catch(() => false).finally(() => {
      this.probing = null;
    });
    await this.probing;
    return this.isOnline;
  }

  private schedule(): void {
    this.stopTimer();
    if (this.disposed) return;
    const delay = this.isOnline ? (this.opts.heartbeatIntervalMs ?? 2_000) : (this.opts.probeIntervalMs ?? 2_000);
    if (delay <= 0) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.recheck().finally(() => {
        if (!this.timer) this.schedule();
      });
    }, delay);
    this.timer.unref?.();
  }

  private stopTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Stops probing for good. */
  dispose(): void {
    this.disposed = true;
    this.unsubscribe();
    this.stopTimer();
  }
}
