/**
 * Starts a module worker from code bundled into this script (the self-contained build), through
 * a `blob:` URL made once per worker kind. A page with a Content-Security-Policy must allow
 * `worker-src blob:`. Under Trusted Types (`require-trusted-types-for 'script'`), `new Worker`
 * takes only a TrustedScriptURL: it comes from the Trusted Types policy `mixpeek-uploader`
 * (created once, on first use; the page's `trusted-types` directive must list it), which vouches
 * for nothing but the `blob:` URLs made here. Without Trusted Types the URL is passed as it is.
 */
interface ScriptUrlPolicy {
  createScriptURL(url: string): unknown;
}
type TrustedTypesLike = { createPolicy(name: string, rules: { createScriptURL(url: string): string }): ScriptUrlPolicy };

/** The `blob:` URLs made here: the only ones the policy accepts. */
const ours = new Set<string>();
/** Worker code → its URL (a TrustedScriptURL under Trusted Types). */
const urls = new Map<string, unknown>();
/** `undefined` until first needed; `null` where Trusted Types are missing or refuse the policy. */
let policy: ScriptUrlPolicy | null | undefined;

function createPolicy(): ScriptUrlPolicy | null {
  try {
    return (
      (globalThis as { trustedTypes?: TrustedTypesLike }).trustedTypes?.createPolicy('mixpeek-uploader', {
        createScriptURL(url) {
          if (ours.has(url)) return url;
          throw new TypeError(`mixpeek-uploader: not a worker URL of its own: ${url}`);
        },
      }) ?? null
    );
  } catch {
    // A `trusted-types` directive that does not list `mixpeek-uploader`: plain URLs, which work
    // unless Trusted Types are also required (then `new Worker` throws, naming the policy).
    return null;
  }
}

export function startWorker(code: string, name: string): Worker {
  let url = urls.get(code);
  if (!url) {
    const blobUrl = URL.createObjectURL(new Blob([code], { type: 'text/javascript' }));
    ours.add(blobUrl);
    if (policy === undefined) policy = createPolicy();
    url = policy ? policy.createScriptURL(blobUrl) : blobUrl;
    urls.set(code, url);
  }
  return new Worker(url as string, { type: 'module', name });
}
