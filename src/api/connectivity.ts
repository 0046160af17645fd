/**
 * What the engine knows about the network, learned from its own requests rather than from
 * `navigator.onLine` alone (which says nothing about a captive portal or a dead uplink): a
 * request that got no answer marks the network lost; any answer, even an error status, marks
 * it back. Retries wait here, and wake early when the network is back.
 */
export class Connectivity extends EventTarget {
  #online = true;
  /** When any request last got an answer, ms since epoch. */
  lastAnswerAt = Date.now();

  /** False from a request that got no answer until the next one that did. */
  get online(): boolean {
    return this.#online;
  }

  /** A request got an answer (any status). */
  answered(): void {
    this.lastAnswerAt = Date.now();
    if (this.#online) return;
    this.#online = true;
    this.dispatchEvent(new Event('change'));
  }

  /** A request got no answer. */
  lost(): void {
    if (!this.#online) return;
    this.#online = false;
    this.dispatchEvent(new Event('change'));
  }

  /**
   * Waits `ms` before a retry; returns early when the network comes back (an answer to another
   * request, or the browser's `online` event). Rejects with an `AbortError` if `signal` aborts.
   */
  wait(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      const wasOnline = this.#online;
      const done = () => {
        clearTimeout(timer);
        this.removeEventListener('change', onChange);
        globalThis.removeEventListener?.('online', done);
        signal?.removeEventListener('abort', onAbort);
      };
      const finish = () => {
        done();
        resolve();
      };
      const onChange = () => {
        if (!wasOnline && this.#online) finish();
      };
      const onAbort = () => {
        done();
        reject(new DOMException('The upload was canceled.', 'AbortError'));
      };
      if (signal?.aborted) return onAbort();
      const timer = setTimeout(finish, ms);
      this.addEventListener('change', onChange);
      globalThis.addEventListener?.('online', finish);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}
