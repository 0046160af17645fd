import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { MixpeekEvents } from '../events.ts';
import { Uploader } from '../engine/uploader.ts';

/**
 * Least time between two renders while an upload runs, ms: ten a second look smooth for
 * progress, and cost a sixth of rendering every animation frame (measured in the 200 × 1 MiB
 * bench, where the page's rendering competed with hashing and PUTs for 2 cores).
 */
export const RUN_RENDER_INTERVAL = 100;

/**
 * Connects a lit host to an {@link Uploader}: re-renders the host when the engine changes and
 * re-dispatches every engine event on the host as a bubbling, composed `CustomEvent`.
 *
 * While an upload runs, the engine changes hundreds of times a second (progress of every PUT);
 * the host then renders at most every {@link RUN_RENDER_INTERVAL} ms, so the main thread and
 * the CPU stay free for the PUTs and the hashing. Outside a run, changes render at once.
 */
export class EngineController implements ReactiveController {
  readonly engine: Uploader;
  readonly #host: ReactiveControllerHost & HTMLElement;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #renderedAt = -Infinity;
  readonly #render = () => {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#renderedAt = performance.now();
    this.#host.requestUpdate();
  };
  readonly #onChange = () => {
    if (!this.engine.running) this.#render();
    else this.#timer ??= setTimeout(this.#render, Math.max(0, this.#renderedAt + RUN_RENDER_INTERVAL - performance.now()));
  };
  readonly #forward = (event: Event) => {
    const { detail } = event as CustomEvent<unknown>;
    this.#host.dispatchEvent(new CustomEvent(event.type, { detail, bubbles: true, composed: true }));
  };

  constructor(host: ReactiveControllerHost & HTMLElement, engine = new Uploader()) {
    this.#host = host;
    this.engine = engine;
    for (const name of Object.values(MixpeekEvents)) engine.addEventListener(name, this.#forward);
    host.addController(this);
  }

  hostConnected(): void {
    this.engine.addEventListener('change', this.#onChange);
    this.#host.requestUpdate(); // the engine may have moved on while the host was detached
  }

  hostDisconnected(): void {
    this.engine.removeEventListener('change', this.#onChange);
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
