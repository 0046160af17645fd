/**
 * Current speed and time left for the overall progress line: an exponential moving average of
 * the byte rate (time constant `tau` ms), so one slow or fast moment does not make the numbers
 * jump, and a time left that is only refreshed once per `refresh` ms.
 */
export class SpeedMeter {
  #last: { bytes: number; at: number } | undefined;
  #speed = 0;
  #left: number | undefined;
  #leftAt = 0;

  constructor(
    readonly tau = 3000,
    readonly refresh = 1000,
  ) {}

  /** Records `bytes` done of `total` at time `now` (ms); returns bytes per second and ms left. */
  sample(bytes: number, total: number, now = Date.now()): { speed: number; left: number | undefined } {
    if (this.#last && now > this.#last.at) {
      const dt = now - this.#last.at;
      const rate = (Math.max(0, bytes - this.#last.bytes) * 1000) / dt;
      const weight = 1 - Math.exp(-dt / this.tau);
      this.#speed = this.#speed === 0 ? rate : this.#speed + weight * (rate - this.#speed);
      this.#last = { bytes, at: now };
    } else if (!this.#last) {
      this.#last = { bytes, at: now };
    }
    if (now - this.#leftAt >= this.refresh || this.#left === undefined) {
      this.#left = this.#speed > 0 ? ((total - bytes) / this.#speed) * 1000 : undefined;
      this.#leftAt = now;
    }
    return { speed: this.#speed, left: this.#left };
  }

  reset(): void {
    this.#last = undefined;
    this.#speed = 0;
    this.#left = undefined;
  }
}
