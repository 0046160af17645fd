/**
 * `dist/mixpeek-uploader.js` (built by `npm run build`) on a page with a strict
 * Content-Security-Policy: no inline script or style, no eval, workers only from `blob:`,
 * Trusted Types required with only the `mixpeek-uploader` and `lit-html` policies allowed
 * (test/csp/strict.html, served with the policy by web-test-runner.config.mjs). The upload
 * goes through the gateway on the page's own origin and straight to object storage.
 */
import { expect } from '@esm-bundle/chai';
import type { MixpeekUploader } from '../../src/element/mixpeek-uploader.ts';
import type { UploadSummary } from '../../src/events.ts';
import { env, nodePatternMd5, pattern, resetEmulator } from '../support/fixtures.ts';

interface Violation {
  directive: string;
  blockedURI: string;
  sample: string;
  sourceFile: string;
  lineNumber: number;
}

type StrictWindow = Window &
  typeof globalThis & {
    __cspViolations: Violation[];
    trustedTypes: { createPolicy(name: string, rules: object): unknown };
  };

/** Loads the strict page in an iframe; resolves once its element is defined. */
async function loadStrictPage(): Promise<{ frame: HTMLIFrameElement; win: StrictWindow }> {
  const frame = document.createElement('iframe');
  frame.src = `/test/csp/strict.html?bucket=${encodeURIComponent(env.bucket)}`;
  const loaded = new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
  document.body.append(frame);
  await loaded; // after the page's module scripts have run
  const win = frame.contentWindow as StrictWindow;
  expect(win.__cspViolations, 'strict-page.js did not run').to.be.an('array');
  expect(win.customElements.get('mixpeek-uploader'), 'dist/mixpeek-uploader.js did not load: run npm run build').to.not.equal(undefined);
  return { frame, win };
}

/** Runs `probe` in the strict page and resolves with the violation it reports. */
async function violationOf(win: StrictWindow, probe: () => void): Promise<SecurityPolicyViolationEvent> {
  const reported = new Promise<SecurityPolicyViolationEvent>((resolve) =>
    win.document.addEventListener('securitypolicyviolation', (e) => resolve(e as SecurityPolicyViolationEvent), { once: true }),
  );
  expect(probe).to.throw();
  return reported;
}

describe('strict Content-Security-Policy (test/csp/strict.html)', () => {
  let frame: HTMLIFrameElement | undefined;
  before(resetEmulator);
  after(() => frame?.remove());

  it('uploads through dist/mixpeek-uploader.js with its workers, no violation, while the policy is enforced', async () => {
    const page = await loadStrictPage();
    frame = page.frame;
    const { win } = page;
    const el = win.document.querySelector('mixpeek-uploader') as MixpeekUploader;
    expect(el.getAttribute('bucket')).to.equal(env.bucket);

    // A File of the page's own realm, big enough for several pieces through the reading worker.
    const size = 300_007;
    el.addFiles([new win.File([pattern(size)], 'strict.bin', { type: 'application/octet-stream' })]);
    const summary = (await el.upload()) as UploadSummary;
    expect(summary.confirmed).to.equal(1);
    expect(summary.failed).to.equal(0);
    expect(summary.files[0]?.etag).to.equal(await nodePatternMd5(size));
    expect(win.__cspViolations).to.deep.equal([]);

    // The element started its workers through its own Trusted Types policy: a second one of
    // that name is refused (the policy allows no duplicates).
    const duplicate = await violationOf(win, () => win.trustedTypes.createPolicy('mixpeek-uploader', {}));
    expect(duplicate.effectiveDirective).to.equal('trusted-types');

    // The policy is enforced: no inline script, no eval (refused as a string where Trusted Types
    // are required, before script-src would refuse it), no other policy, no string worker URL.
    const policy = (await fetch(frame.src)).headers.get('content-security-policy') ?? '';
    expect(policy).to.include("require-trusted-types-for 'script'").and.not.include('unsafe-');
    expect((win as unknown as { __inlineScriptRan?: boolean }).__inlineScriptRan).to.equal(undefined);
    expect((await violationOf(win, () => win.eval('1 + 1'))).effectiveDirective).to.equal('require-trusted-types-for');
    const html = await violationOf(win, () => {
      win.document.createElement('div').innerHTML = '<b>not trusted</b>';
    });
    expect(html.effectiveDirective).to.equal('require-trusted-types-for');
    expect((await violationOf(win, () => win.trustedTypes.createPolicy('other', {}))).effectiveDirective).to.equal('trusted-types');
    const blobUrl = win.URL.createObjectURL(new win.Blob(['postMessage(1)'], { type: 'text/javascript' }));
    expect((await violationOf(win, () => new win.Worker(blobUrl))).effectiveDirective).to.equal('require-trusted-types-for');
    win.URL.revokeObjectURL(blobUrl);
    expect(win.__cspViolations.map((v) => v.directive)).to.deep.equal([
      'trusted-types',
      'require-trusted-types-for',
      'require-trusted-types-for',
      'trusted-types',
      'require-trusted-types-for',
    ]);
  });
});
