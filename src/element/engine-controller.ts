import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { MixpeekEvents } from '../events.ts';
import { Uploader } from '../engine/uploader.ts';

/**
 * Connects a lit host to an {@link Uploader}: re-renders the host when the engine changes and
 * re-dispatches every engine event on the host as a bubbling, composed `CustomEvent`.
 *
 * While an upload runs, the engine changes hundreds of times a second (progress of every PUT);
 * the host then renders at most once per animation frame, so the main thread stays free to
 * start the next PUT. Outside a run, changes render at once.
 */
export class EngineController implements ReactiveController {
  readonly engine: Uploader;
  readonly #host: ReactiveControllerHost & HTMLElement;
  #frame = 0;
  readonly #onChange = () => {
    if (!this.engine.running) {
      cancelAnimationFrame(this.#frame);
      this.#frame = 0;
      this.#host.requestUpdate();
    } else if (!this.#frame) {
      this.#frame = requestAnimationFrame(() => {
        this.#frame = 0;
        this.#host.requestUpdate();
      });
    }
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
    cancelAnimationFrame(this.#frame);
    this.#frame = 0;
  }
}
