/**
 * Current speed for the overall progress line: an exponential moving average of the byte rate
 * (time constant `tau` ms), so one slow or fast moment does not make the numbers jump. (The
 * time left is worked out from it and the bytes still to send by files not paused: `summary.ts`.)
 */
export class SpeedMeter {
  #last: { bytes: number; at: number } | undefined;
  #speed = 0;

  constructor(readonly tau = 3000) {}

  /** Records `bytes` done at time `now` (ms); returns bytes per second. */
  sample(bytes: number, now = Date.now()): number {
    const last = this.#last;
    if (last && now > last.at) {
      const dt = now - last.at;
      const rate = (Math.max(0, bytes - last.bytes) * 1000) / dt;
      this.#speed = this.#speed === 0 ? rate : this.#speed + (1 - Math.exp(-dt / this.tau)) * (rate - this.#speed);
    }
    if (!last || now > last.at) this.#last = { bytes, at: now };
    return this.#speed;
  }

  reset(): void {
    this.#last = undefined;
    this.#speed = 0;
  }
}
