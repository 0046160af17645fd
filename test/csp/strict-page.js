/**
 * The strict page's own script (an inline one would be refused): records every
 * Content-Security-Policy violation in the page in `window.__cspViolations` (test/csp/strict.test.ts
 * reads it), and sets the element's bucket from `?bucket=`.
 */
const violations = [];
window.__cspViolations = violations;
document.addEventListener(
  'securitypolicyviolation',
  (event) =>
    violations.push({
      directive: event.effectiveDirective,
      blockedURI: event.blockedURI,
      sample: event.sample,
      sourceFile: event.sourceFile,
      lineNumber: event.lineNumber,
    }),
  true,
);

const bucket = new URLSearchParams(location.search).get('bucket');
if (bucket) document.querySelector('mixpeek-uploader')?.setAttribute('bucket', bucket);
