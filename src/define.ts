/** Registers `<mixpeek-uploader>` once (safe to import more than once). */
import { MixpeekUploader } from './element/mixpeek-uploader.ts';

if (!customElements.get('mixpeek-uploader')) customElements.define('mixpeek-uploader', MixpeekUploader);

export { MixpeekUploader };

declare global {
  interface HTMLElementTagNameMap {
    'mixpeek-uploader': MixpeekUploader;
  }
}
