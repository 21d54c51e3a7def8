/**
 * C1: whether the platform answers. Every request reports reachability; while offline a timer
 * probes the platform and, once it answers again, `onReconnect` runs (revalidate session, sync).
 */
import type { EventBus } from '../events/event-bus';

export interface ConnectionMonitorOptions {
  events: EventBus;
  probe: () => Promise<boolean>;
  onReconnect: () => void;
  now: () => Date;
  /** Delay between probes while offline (default 5 s). */
  probeIntervalMs?: number;
}

/** Tracks online/offline and probes while offline. */
export class ConnectionMonitor {
  private isOnline = true;
  private since: string | null = null;
  private timer: NodeJS.Timeout | null = null;
  private disposed = false;

  constructor(private readonly opts: ConnectionMonitorOptions) {}

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
    if (reachable) {
      this.stopProbing();
      this.opts.onReconnect();
    } else {
      this.startProbing();
    }
  }

  private startProbing(): void {
    if (this.timer || this.disposed) return;
    const tick = async () => {
      this.timer = null;
      if (this.disposed || this.isOnline) return;
      // probe() reports through the client's reachability hook, which calls report().
      await this.opts.probe().catch(() => false);
      if (!this.isOnline && !this.disposed && !this.timer) this.timer = setTimeout(() => void tick(), this.opts.probeIntervalMs ?? 5_000);
    };
    this.timer = setTimeout(() => void tick(), this.opts.probeIntervalMs ?? 5_000);
    this.timer.unref?.();
  }

  private stopProbing(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Stops probing for good. */
  dispose(): void {
    this.disposed = true;
    this.stopProbing();
  }
}
