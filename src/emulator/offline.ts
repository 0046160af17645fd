/**
 * The `offline` fault: for a window of real time, every connection to the emulator's servers
 * is dropped. Open connections (keep-alive ones too) are destroyed when the window opens; a
 * connection made during the window is destroyed as soon as its request line and headers have
 * arrived (so the request can be logged with status 0), or after {@link IDLE_REFUSE_MS} if it
 * sends nothing. To a browser, every request fails with a network error.
 *
 * Real time (`Date.now`), not the emulator's `clock`: tests wait the window out with timers.
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Socket } from 'node:net';

/** ms a connection made during the window may stay open without sending a request. */
export const IDLE_REFUSE_MS = 250;

/** Tracks the sockets of some HTTP servers and drops them while offline. */
export class OfflineSwitch {
  private until = 0;
  private forMs = 0;
  private readonly sockets = new Set<Socket>();
  private readonly dropped = new WeakSet<Socket>();

  /** Starts tracking `server`'s connections. */
  attach(server: Server): void {
    server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
      if (!this.active()) return;
      const timer = setTimeout(() => this.drop(socket), Math.min(this.remainingMs(), IDLE_REFUSE_MS));
      socket.once('close', () => clearTimeout(timer));
    });
  }

  /**
   * Opens a window of `forMs` ms from now and destroys every tracked connection but `spare`
   * (the one that asked, whose response is still to be sent; it is dropped after it, see
   * {@link afterResponse}). `forMs` 0 ends any open window.
   */
  start(forMs: number, spare?: Socket): void {
    this.forMs = forMs;
    this.until = Date.now() + forMs;
    if (!this.active()) return;
    for (const socket of this.sockets) if (socket !== spare) this.drop(socket);
  }

  /** Ends the window (if any). */
  stop(): void {
    this.until = 0;
    this.forMs = 0;
  }

  /** True while the window is open. */
  active(): boolean {
    return Date.now() < this.until;
  }

  /** ms left in the window, 0 when closed. */
  remainingMs(): number {
    return Math.max(0, this.until - Date.now());
  }

  /** The window as set, or null when none was set since the last {@link stop}. */
  window(): { forMs: number; remainingMs: number } | null {
    return this.until === 0 ? null : { forMs: this.forMs, remainingMs: this.remainingMs() };
  }

  /** While offline, drops the request's connection and returns true; the handler must then stop. */
  refuse(req: IncomingMessage): boolean {
    if (!this.active()) return false;
    this.drop(req.socket);
    return true;
  }

  /** Called when a response has been sent: while offline, its connection is dropped too. */
  afterResponse(req: IncomingMessage): void {
    if (this.active()) this.drop(req.socket);
  }

  /** True when the connection was dropped by this switch (its request is logged with status 0). */
  wasDropped(socket: Socket): boolean {
    return this.dropped.has(socket);
  }

  private drop(socket: Socket): void {
    this.dropped.add(socket);
    socket.destroy();
  }
}
