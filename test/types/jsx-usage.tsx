/**
 * Compile-time test (run by `npm run typecheck`): `<mixpeek-uploader>` in React 19 JSX and
 * `addEventListener` on the element are typed by the package's declarations.
 */
import type {} from '../../src/jsx.ts';
import type {} from '../../src/define.ts';

export const ok = (
  <mixpeek-uploader
    api-url="/mixpeek"
    bucket="media"
    max-file-size={10_000_000}
    auto-upload
    getHeaders={() => ({ Authorization: 'Bearer session' })}
    onmixpeek-complete={(event) => console.log(event.detail.confirmed, event.detail.batches.length)}
    onmixpeek-file-rejected={(event) => console.log(event.detail.code === 'too-large')}
  />
);

// @ts-expect-error: getHeaders must be a function returning headers
export const wrongType = <mixpeek-uploader getHeaders="Bearer x" />;

// @ts-expect-error: the detail of mixpeek-complete has no `total`
export const wrongDetail = <mixpeek-uploader onmixpeek-complete={(event) => event.detail.total} />;

const el = document.createElement('mixpeek-uploader');
el.addEventListener('mixpeek-upload-progress', (event) => console.log(event.detail.totalBytesUploaded));
// @ts-expect-error: detail fields are typed per event
el.addEventListener('mixpeek-file-error', (event) => console.log(event.detail.totalBytes));
