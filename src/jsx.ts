/**
 * JSX typings for `<mixpeek-uploader>` in React 19 (which passes properties and `on…` event
 * handlers to custom elements natively). Opt in with one import in a `.d.ts` or entry file:
 *
 * ```ts
 * import type {} from 'mixpeek-uploader/jsx';
 * ```
 *
 * Then `<mixpeek-uploader api-url="/mixpeek" bucket="media" getHeaders={…}
 * onmixpeek-complete={(e) => e.detail.confirmed} />` is type-checked. Needs `@types/react`.
 */
import type { DetailedHTMLProps, HTMLAttributes } from 'react';
import type { MixpeekUploader } from './element/mixpeek-uploader.ts';
import type { MixpeekEventMap } from './events.ts';

/** The element's attributes, as written in markup (strings; booleans present or absent). */
export interface MixpeekUploaderAttributes {
  'api-url'?: string;
  bucket?: string;
  namespace?: string;
  'api-key'?: string;
  accept?: string;
  'max-file-size'?: number | string;
  'max-files'?: number | string;
  concurrency?: number | string;
  'batch-size'?: number | string;
  'auto-upload'?: boolean;
  'blob-property'?: string;
  'skip-duplicates'?: 'auto' | 'always' | 'never';
  locale?: string;
  name?: string;
  required?: boolean;
  disabled?: boolean;
  compact?: boolean;
}

/** Properties React 19 sets on the element (functions and objects cannot be attributes). */
export type MixpeekUploaderProperties = Partial<Pick<MixpeekUploader, 'getHeaders' | 'uploadParams' | 'strings'>>;

/** `onmixpeek-complete={(e) => …}` and the other events, with their typed `detail`. */
export type MixpeekUploaderEventHandlers = {
  [K in keyof MixpeekEventMap as `on${K}`]?: (event: MixpeekEventMap[K]) => void;
};

/** Everything `<mixpeek-uploader>` takes in JSX. */
export type MixpeekUploaderJsxProps = DetailedHTMLProps<HTMLAttributes<MixpeekUploader>, MixpeekUploader> &
  MixpeekUploaderAttributes &
  MixpeekUploaderProperties &
  MixpeekUploaderEventHandlers;

declare module 'react' {
  namespace JSX {
    interface IntrinsicElements {
      'mixpeek-uploader': MixpeekUploaderJsxProps;
    }
  }
}
