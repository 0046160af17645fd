/**
 * `<canvas ${preview(file)}>`: draws the image preview of a row's file once it is made (see
 * `thumbnails.ts`), and asks for it only while the row is in the page: a row the virtual list
 * takes away cancels its request. The canvas gets `data-ready` when drawn (styles show it over
 * the kind icon then).
 */
import { nothing } from 'lit';
import { AsyncDirective, directive, type ElementPart, type PartInfo, PartType } from 'lit/async-directive.js';
import { type Previews, previews } from './thumbnails.ts';

class PreviewDirective extends AsyncDirective {
  #file: File | undefined;
  #canvas: HTMLCanvasElement | undefined;
  #abort: AbortController | undefined;
  #source: Previews = previews;

  constructor(part: PartInfo) {
    super(part);
    if (part.type !== PartType.ELEMENT) throw new Error('preview() goes on a <canvas> element.');
  }

  render(_file: File, _source?: Previews) {
    return nothing;
  }

  override update(part: ElementPart, [file, source = previews]: [File, Previews?]) {
    this.#canvas = part.element as HTMLCanvasElement;
    if (file !== this.#file || source !== this.#source) {
      this.#file = file;
      this.#source = source;
      this.#load();
    }
    return nothing;
  }

  #load(): void {
    this.#abort?.abort();
    const [file, canvas] = [this.#file, this.#canvas];
    if (!file || !canvas) return;
    const ready = this.#source.get(file);
    if (ready !== undefined) {
      this.#draw(ready);
      return;
    }
    canvas.removeAttribute('data-ready');
    const abort = new AbortController();
    this.#abort = abort;
    void this.#source.request(file, abort.signal).then((bitmap) => {
      if (!abort.signal.aborted && this.#file === file) this.#draw(bitmap);
    });
  }

  #draw(bitmap: ImageBitmap | null): void {
    const canvas = this.#canvas!;
    if (!bitmap) {
      canvas.removeAttribute('data-ready');
      return;
    }
    canvas.width = bitmap.width;
    canvas.height = bitmap.height;
    canvas.getContext('2d')?.drawImage(bitmap, 0, 0);
    canvas.setAttribute('data-ready', '');
  }

  protected override disconnected(): void {
    this.#abort?.abort();
  }

  protected override reconnected(): void {
    if (this.#canvas && !this.#canvas.hasAttribute('data-ready')) this.#load();
  }
}

/** Draws `file`'s preview into the canvas this is bound to (from `source`, by default the page's shared previews). */
export const preview = directive(PreviewDirective);
